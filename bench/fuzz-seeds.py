#!/usr/bin/python3
"""Writes the seed inputs of the fuzz targets (one small valid input per shape a reader accepts) into
each target's regression folder under src/test/resources. Needs Debian's python3-torch and python3-pil.
Run from the repository's root: /usr/bin/python3 bench/fuzz-seeds.py"""
import gzip, io, json, os, struct

import numpy as np
import torch
from PIL import Image

def folder(module, package, test, method):
    path = os.path.join(module, "src/test/resources", package.replace(".", "/"), test + "Inputs", method)
    os.makedirs(path, exist_ok=True)
    return path

def put(path, name, data):
    with open(os.path.join(path, name), "wb") as f:
        f.write(data)

# spec JSON: the text, then one byte choosing the type read (0 recipe, 1 backbone, 2 ViT, 3 Swin)
specs = folder("dsl", "dev.mim4j.dsl", "SpecJsonFuzzTest", "readsASpecOrExplainsWhyNot")
for name in ["mae", "simmim", "simmim-swin"]:
    with open("experiments/fashion-mnist/%s.json" % name, "rb") as f:
        put(specs, "seed-recipe-" + name, f.read() + b"\x00")
    recipe = json.load(open("experiments/fashion-mnist/%s.json" % name))
    backbone = dict(recipe["backbone"], schema=2)
    put(specs, "seed-backbone-" + name, json.dumps(backbone).encode() + b"\x01")

# safetensors: a header, then the data of an F32, an I64 and a BF16 tensor
def safetensors(tensors, metadata):
    header, data = {"__metadata__": metadata}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data

st = folder("models", "dev.mim4j.models.weights", "SafetensorsFuzzTest", "opensTheFileOrExplainsWhyNot")
put(st, "seed-three-dtypes", safetensors({
    "weight": ("F32", [2, 3], np.arange(6, dtype="<f4").tobytes()),
    "index": ("I64", [4], np.arange(4, dtype="<i8").tobytes()),
    "half": ("BF16", [2], b"\x80\x3f\x00\x40")}, {"format": "pt"}))
put(st, "seed-empty", safetensors({}, {}))

# .pth: torch.save's zip of a state dict, bare and wrapped as MAE's checkpoints are
pth = folder("models", "dev.mim4j.models.weights", "PthFuzzTest", "readsTheWeightsOrExplainsWhyNot")
state = {"weight": torch.arange(6.0).reshape(2, 3), "bias": torch.zeros(3), "step": torch.tensor(7)}
for name, obj in [("seed-state-dict", state), ("seed-wrapped", {"model": state, "epoch": 3})]:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    put(pth, name, buffer.getvalue())

# IDX: a flag byte (1: with labels), the images file's length (4 bytes big endian), images, labels
def idx(images, labels):
    n, h, w = images.shape
    image_file = struct.pack(">IIII", 0x803, n, h, w) + images.astype(np.uint8).tobytes()
    label_file = struct.pack(">II", 0x801, n) + labels.astype(np.uint8).tobytes()
    return image_file, label_file

idx_folder = folder("training", "dev.mim4j.training.data", "IdxFuzzTest", "readsADatasetOrExplainsWhyNot")
images, labels = idx(np.arange(2 * 3 * 3).reshape(2, 3, 3), np.array([0, 9]))
put(idx_folder, "seed-with-labels", b"\x01" + struct.pack(">I", len(images)) + images + labels)
put(idx_folder, "seed-without-labels", b"\x00" + struct.pack(">I", len(images)) + images)
gz_images, gz_labels = gzip.compress(images, mtime=0), gzip.compress(labels, mtime=0)
put(idx_folder, "seed-gzipped", b"\x01" + struct.pack(">I", len(gz_images)) + gz_images + gz_labels)

# CIFAR: a byte choosing the variant (0 CIFAR-10, 1 CIFAR-100), then two records
cifar = folder("training", "dev.mim4j.training.data", "CifarFuzzTest", "readsADatasetOrExplainsWhyNot")
pixels = bytes(range(256)) * 12
put(cifar, "seed-cifar10", b"\x00" + b"\x03" + pixels + b"\x09" + pixels)
put(cifar, "seed-cifar100", b"\x01" + b"\x02\x13" + pixels + b"\x05\x63" + pixels)

# images: small files of every format and colour model the decoder knows
decode = folder("training", "dev.mim4j.training.data", "ImageDecodeFuzzTest", "decodesAnImageOrExplainsWhyNot")
rgb = Image.fromarray(np.arange(6 * 5 * 3, dtype=np.uint8).reshape(6, 5, 3) * 3, "RGB")
for name, image, fmt, options in [
        ("png-rgb", rgb, "PNG", {}), ("png-gray", rgb.convert("L"), "PNG", {}),
        ("png-rgba", rgb.convert("RGBA"), "PNG", {}), ("png-palette", rgb.convert("P"), "PNG", {}),
        ("png-16bit", Image.fromarray(np.arange(30, dtype=np.uint16).reshape(6, 5) * 2000), "PNG", {}), ("jpeg-rgb", rgb, "JPEG", {"quality": 90}),
        ("jpeg-gray", rgb.convert("L"), "JPEG", {}), ("jpeg-cmyk", rgb.convert("CMYK"), "JPEG", {}),
        ("jpeg-progressive", rgb, "JPEG", {"progressive": True}), ("gif", rgb.convert("P"), "GIF", {}),
        ("bmp", rgb, "BMP", {}), ("tiff", rgb, "TIFF", {})]:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    put(decode, "seed-" + name, buffer.getvalue())

# checkpoint metadata: the entries of real checkpoints, joined by NUL in the target's key order
keys = ["mim4j.recipe", "mim4j.config", "mim4j.position", "mim4j.normalization", "mim4j.finetune.spec",
        "mim4j.finetune.config", "mim4j.finetune.classes", "mim4j.finetune.position"]
meta = folder("training", "dev.mim4j.training", "CheckpointMetadataFuzzTest", "readsTheRunOrExplainsWhyNot")
for name in ["mae-pretrain", "simmim-pretrain", "simmim-finetune"]:
    data = open("training/src/test/resources/checkpoints/v2/%s.safetensors" % name, "rb").read()
    metadata = json.loads(data[8:8 + struct.unpack("<Q", data[:8])[0]])["__metadata__"]
    put(meta, "seed-" + name, "\0".join(metadata.get(k, "") for k in keys).encode())
