package dev.mim4j.models;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The golden cases made by the authors' code, shipped as test resources (see golden/README.md). */
public final class Golden {

    public static final String MAE = "mae_tiny_normpix";
    public static final String SIMMIM = "simmim_vit_tiny";
    public static final String SIMMIM_SWIN = "simmim_swin_tiny";

    private Golden() {
    }

    public static Path path(String caseName, String file) {
        String resource = "/golden/" + caseName + "/" + file;
        URL url = Golden.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource " + resource + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
