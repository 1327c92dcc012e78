"""Chapter 14, regularisation: ``check_l2_penalty`` and ``check_dropout``."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake

# ------------------------------------------------------------------------------------ L2 penalty


def _l2(W, b, lam):
    return lam * np.sum(W**2), 2 * lam * W, np.zeros_like(b)


def _penalised_biases(W, b, lam):
    return lam * (np.sum(W**2) + np.sum(b**2)), 2 * lam * W, 2 * lam * b


def _missing_two(W, b, lam):
    return lam * np.sum(W**2), lam * W, np.zeros_like(b)


def _half_convention(W, b, lam):
    return lam / 2 * np.sum(W**2), lam * W, np.zeros_like(b)


def _l1(W, b, lam):
    return lam * np.sum(np.abs(W)), lam * np.sign(W), np.zeros_like(b)


def _square_of_sum(W, b, lam):
    return lam * np.sum(W) ** 2, 2 * lam * np.sum(W) * np.ones_like(W), np.zeros_like(b)


def _mean(W, b, lam):
    return lam * np.mean(W**2), 2 * lam * W / W.size, np.zeros_like(b)


def _norm(W, b, lam):
    norm = np.sqrt(np.sum(W**2))
    return lam * norm, lam * W / norm, np.zeros_like(b)


def _sign(W, b, lam):
    return lam * np.sum(W**2), -2 * lam * W, np.zeros_like(b)


def _aliased(W, b, lam):
    dW = W  # not a copy: the next line scales the caller's weights
    dW *= 2 * lam
    return lam * np.sum(W**2), dW, np.zeros_like(b)


def _db_scalar(W, b, lam):
    return lam * np.sum(W**2), 2 * lam * W, 0.0


_rng_p = np.random.default_rng(14)

check_l2_penalty = Check(
    name="L2 penalty",
    chapter="regularisation",
    signature="fn(W, b, lam) -> (penalty, dW, db): the L2 penalty lam * sum(W**2) of one Dense layer, "
              "W (n_in, n_out), b (1, n_out), and its gradients, dW shaped like W, db like b",
    reference=_l2,
    parts=("penalty", "dW", "db"),
    cases=[
        ("W (3, 2) with both signs, non-zero biases, lam 0.01",
         (_rng_p.standard_normal((3, 2)), _rng_p.standard_normal((1, 2)), 0.01)),
        ("W (2, 4) with an entry of exactly 0, lam 0.5",
         (np.array([[0.5, -1.5, 0.0, 2.0], [1.0, 0.25, -0.75, -3.0]]),
          np.array([[1.0, -2.0, 0.5, 3.0]]), 0.5)),
        ("W (1, 3), all positive, lam 2", (np.array([[1.0, 2.0, 4.0]]), np.array([[0.1, 0.2, 0.3]]), 2.0)),
    ],
    mistakes=[
        Mistake("penalised-biases",
                "the biases are penalised too. Regularisation penalises the weights only: a bias shifts a "
                "unit but does not make the function wigglier. Leave b out of the penalty; db = 0.",
                _penalised_biases),
        Mistake("missing-factor-2",
                "the derivative of lam * w**2 is 2 * lam * w: dW = 2 * lam * W, not lam * W.",
                _missing_two),
        Mistake("half-convention",
                "you wrote the penalty lam/2 * sum(W**2) with gradient lam * W: the convention of CS231n and "
                "PyTorch's weight_decay. This chapter (and NNFS) use lam * sum(W**2), gradient 2 * lam * W.",
                _half_convention),
        Mistake("l1-not-l2",
                "that is the L1 penalty, lam * sum(|W|). L2 squares each weight: lam * np.sum(W**2), "
                "gradient 2 * lam * W.", _l1),
        Mistake("square-of-sum",
                "np.sum(W)**2 squares the sum of the weights, in which positive and negative weights cancel. "
                "Square each weight first, then add: np.sum(W**2).", _square_of_sum),
        Mistake("mean-not-sum",
                "np.mean(W**2) divides by the number of weights. The penalty is a sum, lam * np.sum(W**2), "
                "so that a layer's share grows with its size.", _mean),
        Mistake("norm-not-squared",
                "lam * np.linalg.norm(W) is the length of W, a square root. The L2 penalty is its square, "
                "lam * np.sum(W**2), gradient 2 * lam * W.", _norm),
        Mistake("gradient-sign",
                "dW has the wrong sign: the penalty grows as the weights grow, so its gradient points "
                "along W, +2 * lam * W. (The minus comes in the update, W -= eta * dW.)", _sign),
        Mistake("aliased-gradient",
                "dW = W does not copy: dW *= 2 * lam then scales the layer's weights themselves. Compute a "
                "new array, dW = 2 * lam * W.", _aliased),
        Mistake("db-scalar",
                "db must have the biases' shape (1, n_out), as every gradient has its parameter's shape: "
                "np.zeros_like(b), not the number 0.", _db_scalar),
    ],
    alternatives=[
        ("(W * W).sum() and b * 0", lambda W, b, lam: (lam * (W * W).sum(), 2 * lam * W, b * 0)),
        ("np.linalg.norm squared", lambda W, b, lam: (lam * np.linalg.norm(W) ** 2, W * (2 * lam),
                                                      np.zeros(b.shape))),
        ("nnlib.L2", lambda W, b, lam: (__import__("nnlib").L2(lam)._value(W),
                                        __import__("nnlib").L2(lam)._gradient(W), np.zeros_like(b))),
    ],
)

# --------------------------------------------------------------------------------------- dropout


def _dropout(inputs, dvalues, rate, rng):
    keep = rng.random(inputs.shape) >= rate
    mask = keep / (1 - rate)
    return inputs * mask, dvalues * mask


def _no_scaling(inputs, dvalues, rate, rng):
    keep = rng.random(inputs.shape) >= rate
    return inputs * keep, dvalues * keep


def _scale_by_rate(inputs, dvalues, rate, rng):
    mask = (rng.random(inputs.shape) >= rate) / rate
    return inputs * mask, dvalues * mask


def _times_keep_probability(inputs, dvalues, rate, rng):
    mask = (rng.random(inputs.shape) >= rate) * (1 - rate)
    return inputs * mask, dvalues * mask


def _keep_with_rate(inputs, dvalues, rate, rng):
    mask = (rng.random(inputs.shape) < rate) / (1 - rate)
    return inputs * mask, dvalues * mask


def _rate_as_keep_probability(inputs, dvalues, rate, rng):
    mask = (rng.random(inputs.shape) < rate) / rate
    return inputs * mask, dvalues * mask


def _new_mask_in_backward(inputs, dvalues, rate, rng):
    output = inputs * ((rng.random(inputs.shape) >= rate) / (1 - rate))
    dinputs = dvalues * ((rng.random(inputs.shape) >= rate) / (1 - rate))
    return output, dinputs


def _backward_without_mask(inputs, dvalues, rate, rng):
    mask = (rng.random(inputs.shape) >= rate) / (1 - rate)
    return inputs * mask, dvalues / (1 - rate)


def _backward_unscaled(inputs, dvalues, rate, rng):
    keep = rng.random(inputs.shape) >= rate
    return inputs * keep / (1 - rate), dvalues * keep


def _binomial(inputs, dvalues, rate, rng):
    mask = rng.binomial(1, 1 - rate, size=inputs.shape) / (1 - rate)
    return inputs * mask, dvalues * mask


def _in_place(inputs, dvalues, rate, rng):
    mask = (rng.random(inputs.shape) >= rate) / (1 - rate)
    inputs *= mask
    return inputs, dvalues * mask


_rng_d = np.random.default_rng(15)

check_dropout = Check(
    name="dropout",
    chapter="regularisation",
    signature="fn(inputs, dvalues, rate, rng) -> (output, dinputs): inverted dropout in training mode. "
              "keep = rng.random(inputs.shape) >= rate, mask = keep / (1 - rate), output = inputs * mask, "
              "dinputs = dvalues * mask; inputs and dvalues of the same shape, rate the probability of "
              "dropping",
    reference=_dropout,
    parts=("output", "dinputs"),
    cases=[
        ("inputs (4, 5), rate 0.3", (_rng_d.standard_normal((4, 5)), _rng_d.standard_normal((4, 5)), 0.3,
                                     np.random.default_rng(0))),
        ("inputs (3, 6), rate 0.5", (_rng_d.standard_normal((3, 6)), _rng_d.standard_normal((3, 6)), 0.5,
                                     np.random.default_rng(1))),
        ("inputs (6, 4), rate 0.1", (_rng_d.standard_normal((6, 4)) + 2, _rng_d.standard_normal((6, 4)), 0.1,
                                     np.random.default_rng(2))),
    ],
    mistakes=[
        Mistake("no-scaling",
                "the kept values are not scaled. Without dividing by 1 - rate, the output is on average "
                "(1 - rate) times the input in training but the whole input at inference: "
                "mask = keep / (1 - rate).", _no_scaling),
        Mistake("scale-by-rate",
                "divide the kept values by the probability of KEEPING them, 1 - rate, not by rate: "
                "mask = keep / (1 - rate).", _scale_by_rate),
        Mistake("times-keep-probability",
                "multiplying by 1 - rate scales the wrong way (that is what old-style dropout does at "
                "inference). Inverted dropout DIVIDES the kept values by 1 - rate in training.",
                _times_keep_probability),
        Mistake("keep-with-rate",
                "rng.random(shape) < rate keeps each unit with probability rate: rate is the probability "
                "of DROPPING. Keep where rng.random(shape) >= rate.", _keep_with_rate),
        Mistake("rate-as-keep-probability",
                "you read rate as the probability of keeping a unit (the dropout paper's p). Here, as in "
                "nnlib, Keras and PyTorch, rate is the probability of dropping one: keep where "
                "rng.random(shape) >= rate and divide by 1 - rate.", _rate_as_keep_probability),
        Mistake("new-mask-in-backward",
                "the backward pass draws a new mask. It must use the mask of the forward pass (store it): "
                "the units dropped in the forward pass passed nothing on, so they get no gradient.",
                _new_mask_in_backward),
        Mistake("backward-without-mask",
                "dinputs is dvalues / (1 - rate) everywhere: the dropped units must get 0. "
                "dinputs = dvalues * mask, with the forward pass's mask.", _backward_without_mask),
        Mistake("backward-unscaled",
                "dinputs must be scaled like the output: the forward pass multiplies by mask = "
                "keep / (1 - rate), so the backward pass multiplies dvalues by the same mask.",
                _backward_unscaled),
        Mistake("binomial-draw",
                "your mask comes from rng.binomial, as in the NNFS book: that is a correct dropout, but "
                "this check compares with a mask drawn as keep = rng.random(inputs.shape) >= rate (as "
                "nnlib does), so that both draw the same mask. Draw it that way.", _binomial),
        Mistake("in-place",
                "inputs *= mask changes the caller's array: compute output = inputs * mask instead.",
                _in_place),
    ],
    alternatives=[
        ("np.where", lambda x, d, rate, rng: (lambda keep: (np.where(keep, x / (1 - rate), 0.0),
                                                            np.where(keep, d / (1 - rate), 0.0)))(
            rng.random(x.shape) >= rate)),
        ("nnlib.Dropout", lambda x, d, rate, rng: (lambda layer: (layer.forward(x, training=True),
                                                                  layer.backward(d)))(
            __import__("nnlib").Dropout(rate, rng=rng))),
    ],
)
