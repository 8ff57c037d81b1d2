package dev.front.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages of proxy-core depend on each other one way, in the order of {@link #LAYERS} (see docs/design.md):
 * a package may use the ones listed before it, never one after it, and no two packages depend on each other.
 */
class PackageLayersTest {

    /** Bottom first: each package may depend only on those before it. The last is the package tying them. */
    static final List<String> LAYERS = List.of(
            "dev.front.core.http",
            "dev.front.core.connection",
            "dev.front.core.trust",
            "dev.front.core.transport",
            "dev.front.core.compress",
            "dev.front.core.observe",
            "dev.front.core.admin",
            "dev.front.core.alias",
            "dev.front.core.websocket",
            "dev.front.core.upstream",
            "dev.front.core.tls",
            "dev.front.core.h2",
            "dev.front.core");

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.front.core");

    @Test
    void noPackageCycles() {
        slices().matching("dev.front.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void eachPackageUsesOnlyTheOnesBelowIt() {
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
            noClasses().that().resideInAPackage(LAYERS.get(i))
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .as(LAYERS.get(i) + " depends on none of " + Arrays.toString(above))
                    .check(CORE);
        }
    }

    @Test
    void everyPackageIsALayer() {
        noClasses().should().resideOutsideOfPackages(LAYERS.toArray(String[]::new)).check(CORE);
    }
}
