package io.sagebrush.algorithms.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HyperparametersTest {
  @Test
  void missingRequiredValueNamesTheHyperparameter() {
    assertThatThrownBy(() -> new Hyperparameters(Map.of()).requiredInt("num_round", 1, 10))
        .isInstanceOf(AlgorithmException.class)
        .hasMessage("missing required hyperparameter 'num_round'");
  }

  @Test
  void wrongTypeNamesTheHyperparameterAndValue() {
    Hyperparameters hp = new Hyperparameters(Map.of("k", "three", "eta", "fast"));
    assertThatThrownBy(() -> hp.requiredInt("k", 1, 10))
        .hasMessage("hyperparameter 'k' must be an integer, got 'three'");
    assertThatThrownBy(() -> hp.doubleValue("eta", 0.3, 0, 1))
        .hasMessage("hyperparameter 'eta' must be a number, got 'fast'");
  }

  @Test
  void outOfRangeNamesTheRange() {
    Hyperparameters hp = new Hyperparameters(Map.of("eta", "1.5", "k", "0", "subsample", "0"));
    assertThatThrownBy(() -> hp.doubleValue("eta", 0.3, 0, 1))
        .hasMessage("hyperparameter 'eta' must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> hp.intValue("k", 1, 1, Integer.MAX_VALUE))
        .hasMessageContaining("hyperparameter 'k' must be in [1, ");
    assertThatThrownBy(() -> hp.positiveDouble("subsample", 1))
        .hasMessage("hyperparameter 'subsample' must be greater than 0, got 0");
  }

  @Test
  void autoAndAbsentGiveTheDefault() {
    Hyperparameters hp = new Hyperparameters(Map.of("l1", "auto"));
    assertThat(hp.doubleValue("l1", 0.25, 0, 1)).isEqualTo(0.25);
    assertThat(hp.intValue("epochs", 15, 1, 100)).isEqualTo(15);
    assertThat(hp.isSet("l1")).isFalse();
  }

  @Test
  void valuesAsPythonAndFrameworkEstimatorsSendThemAreUnderstood() {
    Hyperparameters hp =
        new Hyperparameters(
            Map.of(
                "normalize_data", "True",
                "use_bias", "false",
                "eval_metrics", "[\"msd\", \"ssd\"]",
                "epochs", "\"10\"",
                "k", "4.0"));
    assertThat(hp.bool("normalize_data", false)).isTrue();
    assertThat(hp.bool("use_bias", true)).isFalse();
    assertThat(hp.stringList("eval_metrics", List.of())).containsExactly("msd", "ssd");
    assertThat(hp.intValue("epochs", 1, 1, 100)).isEqualTo(10);
    assertThat(hp.requiredInt("k", 1, 10)).isEqualTo(4);
  }

  @Test
  void choiceListsTheAllowedValues() {
    Hyperparameters hp = new Hyperparameters(Map.of("optimizer", "lbfgs"));
    assertThatThrownBy(() -> hp.choice("optimizer", "adam", "adam", "sgd"))
        .hasMessage("hyperparameter 'optimizer' must be one of adam, sgd, got 'lbfgs'");
    assertThatThrownBy(() -> new Hyperparameters(Map.of("b", "yes")).bool("b", true))
        .hasMessage("hyperparameter 'b' must be true or false, got 'yes'");
  }

  @Test
  void unknownIgnoresSageMakerBookkeeping() {
    Hyperparameters hp =
        new Hyperparameters(Map.of("k", "1", "sagemaker_region", "x", "_tuning", "y", "typo", "z"));
    assertThat(hp.unknown(Set.of("k"))).containsExactly("typo");
  }
}
