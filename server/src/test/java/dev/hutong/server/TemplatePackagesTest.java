package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.miniapp.PackageValidator;
import dev.hutong.miniapp.ValidatedPackage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each booking template is a package the platform accepts, with an ext schema. */
class TemplatePackagesTest {
  @ParameterizedTest
  @ValueSource(strings = {"cinema", "restaurant", "property"})
  void theTemplatePassesThePackageValidator(String name) {
    byte[] zip = TemplatePackages.zip(name);
    PackageValidator validator = new PackageValidator();
    assertThat(validator.problems(zip)).isEmpty();
    ValidatedPackage pkg = validator.validate(zip);
    assertThat(pkg.manifest().files()).extracting(f -> f.path())
        .contains("app.json", "ext.schema.json", "lib/booking.js", "lib/theme.css",
            "pages/index/index.html", "pages/index/index.js");
    assertThat(TemplatePackages.zip(name)).isEqualTo(zip); // the same files, the same zip
  }
}
