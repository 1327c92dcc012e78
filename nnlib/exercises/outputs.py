"""Chapter 15, binary and regression outputs: ``check_binary_cross_entropy``."""

from __future__ import annotations

import numpy as np

from ..losses import SoftmaxCrossEntropy
from ._engine import Check, Mistake


def _softplus(z):
    # log(1 + e^z) without overflow: max(z, 0) + log(1 + e^-|z|), and e^-|z| is in (0, 1].
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def _reference(z, y):
    t = y.reshape(-1, 1)                     # labels (N,) as a column, like z (N, 1)
    return float(np.mean(_softplus(z) - t * z))


def _stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


# ------------------------------------------------------------------------------- the mistakes


def _naive(z, y):
    t = y.reshape(-1, 1)
    s = 1 / (1 + np.exp(-z))
    return float(-np.mean(t * np.log(s) + (1 - t) * np.log(1 - s)))


def _naive_log10(z, y):
    t = y.reshape(-1, 1)
    s = 1 / (1 + np.exp(-z))
    return float(-np.mean(t * np.log10(s) + (1 - t) * np.log10(1 - s)))


def _clipped(z, y):
    t = y.reshape(-1, 1)
    s = np.clip(_stable_sigmoid(z), 1e-7, 1 - 1e-7)
    return float(-np.mean(t * np.log(s) + (1 - t) * np.log(1 - s)))


def _unstable_softplus(z, y):
    t = y.reshape(-1, 1)
    return float(np.mean(np.log(1 + np.exp(z)) - t * z))


def _no_max(z, y):
    t = y.reshape(-1, 1)
    return float(np.mean(np.log1p(np.exp(-np.abs(z))) - t * z))


def _log_likelihood(z, y):
    t = y.reshape(-1, 1)
    return float(np.mean(t * z - _softplus(z)))


def _swapped(z, y):
    t = y.reshape(-1, 1)
    return float(np.mean(_softplus(z) - (1 - t) * z))


def _only_positive_term(z, y):
    t = y.reshape(-1, 1)
    return float(np.mean(t * _softplus(-z)))     # -y log sigma(z) alone: the (1 - y) term is missing


def _sum(z, y):
    t = y.reshape(-1, 1)
    return float(np.sum(_softplus(z) - t * z))


def _per_sample(z, y):
    t = y.reshape(-1, 1)
    return _softplus(z) - t * z


def _broadcast(z, y):
    return float(np.mean(_softplus(z) - y * z))   # (N, 1) * (N,) -> (N, N)


# ------------------------------------------------------------------------------- the check

check_binary_cross_entropy = Check(
    name="binary cross-entropy",
    chapter="outputs",
    signature="fn(z, y) -> L, the batch mean of softplus(z_i) - y_i z_i, finite for any z; z (N, 1) logits "
              "of the last Dense layer, y (N,) labels 0 or 1",
    reference=_reference,
    cases=[
        ("five samples, moderate scores",
         (np.array([[2.0], [-1.0], [0.5], [-3.0], [0.0]]), np.array([1, 0, 0, 1, 1]))),
        ("confident scores, right and wrong (|z| = 1000 and 40)",
         (np.array([[1000.0], [-1000.0], [40.0], [-40.0]]), np.array([1, 1, 0, 0]))),
        ("a batch of one, wrong side", (np.array([[-2.5]]), np.array([1]))),
        ("three samples, all labels 0", (np.array([[0.3], [-0.7], [1.2]]), np.array([0, 0, 0]))),
    ],
    mistakes=[
        Mistake("naive-log-sigmoid",
                "log(sigmoid(z)) breaks for large |z|: sigmoid(-1000) rounds to 0 and log(0) = -inf, and "
                "1 - sigmoid(40) rounds to 0 as well. Rewrite the loss without forming the probability: "
                "-y log s - (1 - y) log(1 - s) = softplus(z) - y z, with softplus(z) = log(1 + e^z) "
                "computed as max(z, 0) + log1p(exp(-|z|)).",
                _naive),
        Mistake("log10",
                "np.log10 is the base-10 logarithm; cross-entropy uses the natural log (np.log, np.log1p). "
                "And write it in the softplus form, so that it stays finite at large |z|.",
                _naive_log10),
        Mistake("clipped-probabilities",
                "clipping the probability to [1e-7, 1 - 1e-7] keeps the loss finite but caps it at "
                "-log(1e-7) = 16.1: a confident mistake with z = 1000 should cost 1000, and beyond the clip "
                "its slope is 0. Work with z itself: softplus(z) - y z needs no clipping.",
                _clipped),
        Mistake("unstable-softplus",
                "np.log(1 + np.exp(z)) overflows for z > 709 (exp(1000) is inf). Use "
                "max(z, 0) + np.log1p(np.exp(-np.abs(z))): the exponent is never positive.",
                _unstable_softplus),
        Mistake("no-max-term",
                "log(1 + e^z) = max(z, 0) + log(1 + e^(-|z|)): the max(z, 0) part is missing, which matters "
                "for every positive z.",
                _no_max),
        Mistake("log-likelihood-sign",
                "that is the log-likelihood, y z - softplus(z), which is negative; the loss is its negative, "
                "softplus(z) - y z, which is positive and 0 only for a perfect prediction.",
                _log_likelihood),
        Mistake("labels-swapped",
                "y and 1 - y are swapped: the term -y log sigma(z) belongs to the samples with label 1, "
                "which is why the loss is softplus(z) - y z, not softplus(z) - (1 - y) z.",
                _swapped),
        Mistake("one-term-only",
                "only the samples with label 1 contribute: the (1 - y) log(1 - sigma(z)) term for the "
                "label-0 samples is missing. Their loss is -log(1 - sigma(z)) = softplus(z).",
                _only_positive_term),
        Mistake("sum", "that is the sum over the batch; this loss is the mean (np.mean), like nnlib's.",
                _sum),
        Mistake("per-sample", "return the mean over the batch, a single number, not one loss per sample.",
                _per_sample),
        Mistake("broadcast-N-by-N",
                "y has shape (N,) and z (N, 1): y * z broadcasts to an (N, N) matrix, every label times "
                "every score, and its mean is a wrong number without any error. Reshape first: "
                "y.reshape(-1, 1) (or work with z.ravel()).",
                _broadcast),
    ],
    alternatives=[
        ("np.logaddexp(0, z) is log(1 + e^z), stably",
         lambda z, y: float(np.mean(np.logaddexp(0, z) - y.reshape(-1, 1) * z))),
        ("one term per label, y softplus(-z) + (1 - y) softplus(z)",
         lambda z, y: float(np.mean(y.reshape(-1, 1) * np.logaddexp(0, -z)
                                    + (1 - y.reshape(-1, 1)) * np.logaddexp(0, z)))),
        ("flatten z instead of reshaping y",
         lambda z, y: float(np.mean(np.maximum(z.ravel(), 0) - y * z.ravel()
                                    + np.log1p(np.exp(-np.abs(z.ravel())))))),
        ("softmax cross-entropy on the scores (0, z)",
         lambda z, y: SoftmaxCrossEntropy().forward(np.hstack([np.zeros_like(z), z]), y)),
    ],
)
