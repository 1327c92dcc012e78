"""Deliberately broken pieces, shared by the tests that must catch them."""

from nnlib import Dense


class SignFlippedDense(Dense):
    """A Dense layer with a classic backprop slip: dweights has the wrong sign."""

    def backward(self, dvalues):
        dinputs = super().backward(dvalues)
        self.dweights = -self.dweights
        return dinputs
