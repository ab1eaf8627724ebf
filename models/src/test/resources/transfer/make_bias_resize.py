# Makes bias_resize.json: a relative position bias table resized from window 6 to window 7 (and 7 to 12)
# by the arithmetic of microsoft/SimMIM utils.py remap_pretrained_keys_swin (geometric offsets, scipy
# interp2d kind='cubic'), written out here so that the test needs no Python. Run with Debian's
# python3-numpy and python3-scipy:  /usr/bin/python3 make_bias_resize.py > bias_resize.json
import json
import numpy as np
from scipy import interpolate


def resize(table, src_size, dst_size):
    def geometric_progression(a, r, n):
        return a * (1.0 - r ** n) / (1.0 - r)
    left, right = 1.01, 1.5
    while right - left > 1e-6:
        q = (left + right) / 2.0
        gp = geometric_progression(1, q, src_size // 2)
        if gp > dst_size // 2:
            right = q
        else:
            left = q
    dis = []
    cur = 1
    for i in range(src_size // 2):
        dis.append(cur)
        cur += q ** (i + 1)
    r_ids = [-_ for _ in reversed(dis)]
    x = r_ids + [0] + dis
    y = r_ids + [0] + dis
    t = dst_size // 2.0
    dx = np.arange(-t, t + 0.1, 1.0)
    dy = np.arange(-t, t + 0.1, 1.0)
    heads = table.shape[1]
    out = []
    for i in range(heads):
        z = table[:, i].reshape(src_size, src_size)
        f_cubic = interpolate.interp2d(x, y, z, kind='cubic')
        out.append(f_cubic(dx, dy).reshape(-1, 1))
    return np.concatenate(out, axis=-1)


rng = np.random.RandomState(7)
cases = []
for window, new_window, heads in [(6, 7, 2), (7, 12, 3)]:
    src, dst = 2 * window - 1, 2 * new_window - 1
    table = rng.normal(0, 0.02, size=(src * src, heads)).astype(np.float32)
    cases.append({"window": window, "newWindow": new_window, "heads": heads,
                  "table": table.ravel().tolist(), "resized": resize(table.astype(np.float64), src, dst).ravel().tolist()})
print(json.dumps(cases))
