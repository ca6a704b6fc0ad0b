package io.github.redisresilience.autoconfigure;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the starter's main code, so that a newcomer finds each concern in its
 * own package and the packages stay layered: {@code settings} (the one invalid-setting error)
 * at the bottom; {@code remap} and {@code dns} above it, built from values only; the root
 * (properties and the values built from them) above those; the concerns ({@code client},
 * {@code startup}, {@code topology}, {@code retry}, {@code logging}) above the root; and
 * {@code actuate}, which reads them all, at the top.
 */
class PackageRulesTests {

	private static final String ROOT = "io.github.redisresilience.autoconfigure";

	private static final String[] CONCERNS = { ROOT + ".client..", ROOT + ".startup..", ROOT + ".suspect..",
			ROOT + ".topology..", ROOT + ".retry..", ROOT + ".actuate..", ROOT + ".logging.." };

	/**
	 * The main classes only, imported from where the properties class was loaded (the module's
	 * classes directory or jar): importing the package by name would also find the tests, which a
	 * location filter does not always tell apart.
	 */
	private static final JavaClasses MAIN = new ClassFileImporter()
		.importUrl(RedisResilienceProperties.class.getProtectionDomain().getCodeSource().getLocation());

	@Test
	void packagesHaveNoCycles() {
		slices().assignedFrom(new StarterPackages()).should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void rootDependsOnlyOnTheValuePackages() {
		noClasses().that()
			.resideInAPackage(ROOT)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(CONCERNS)
			.check(MAIN);
	}

	@Test
	void remapAndDnsTakeValuesNotTheStartersSettings() {
		noClasses().that()
			.resideInAnyPackage(ROOT + ".remap..", ROOT + ".dns..", ROOT + ".settings..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(CONCERNS)
			.orShould()
			.dependOnClassesThat()
			.resideInAPackage(ROOT)
			.check(MAIN);
	}

	@Test
	void nothingButActuateDependsOnActuate() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(ROOT + ".actuate..")
			.check(MAIN);
	}

	/**
	 * Health, the endpoint and the metrics read the topology and the suspects; they change
	 * neither. The one exception is the operation the endpoint offers: its refresh
	 * ({@code POST}), which asks the watcher to read the view now.
	 */
	@Test
	void actuateOnlyReadsTheTopologyAndTheSuspects() {
		Set<String> reads = Set.of("all", "get", "clusterClient", "counters", "deploymentShape", "getPhase",
				"lastRefresh", "recentAddressChanges", "isDegraded", "mode", "isRunning");
		DescribedPredicate<JavaMethodCall> changesState = DescribedPredicate.describe(
				"a method of TopologyWatcher or SuspectWatch that is not a read", (call) -> {
					String owner = call.getTargetOwner().getName();
					if (!owner.equals(ROOT + ".topology.TopologyWatcher") && !owner.equals(ROOT + ".suspect.SuspectWatch")) {
						return false;
					}
					String name = call.getName();
					boolean endpointRefresh = name.equals("refreshNow")
							&& call.getOriginOwner().getName().equals(ROOT + ".actuate.RedisTopologyEndpoint");
					return !reads.contains(name) && !endpointRefresh;
				});
		noClasses().that().resideInAPackage(ROOT + ".actuate..").should().callMethodWhere(changesState).check(MAIN);
	}

	@Test
	void suspicionNeedsNothingOfTheTopologyPackage() {
		noClasses().that()
			.resideInAPackage(ROOT + ".suspect..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(ROOT + ".topology..")
			.check(MAIN);
	}

	@Test
	void autoConfigurationsArePublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(MAIN);
	}

	@Test
	void beanMethodsArePackagePrivate() {
		methods().that().areAnnotatedWith(Bean.class).should().notBePublic().andShould().notBeProtected().check(MAIN);
	}

	/** Each class by its package under the root; the root's own classes as one slice. */
	private static final class StarterPackages implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (name.equals(ROOT)) {
				return SliceIdentifier.of("root");
			}
			if (!name.startsWith(ROOT + ".")) {
				return SliceIdentifier.ignore();
			}
			String rest = name.substring(ROOT.length() + 1);
			int dot = rest.indexOf('.');
			return SliceIdentifier.of((dot < 0) ? rest : rest.substring(0, dot));
		}

		@Override
		public String getDescription() {
			return "the starter's packages";
		}

	}

}
