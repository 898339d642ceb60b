"""From labelled strings (corpora.py) to the token labels a CRF learns, and the training
itself — shared by scripts/train_citation_model.py and the benchmarks, so that what is measured
is what ships.

A punctuation mark takes the label of the word it is written against ("Hamer," → author,
"(1982)" → date) whatever the annotators did with it: anystyle puts the marks inside its fields
and GROBID between them, and one habit must win for the two sets to teach the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditor.sources.citations.corpora import Labelled
from auditor.sources.citations.features import token_features
from auditor.sources.citations.labels import Label
from auditor.sources.citations.tokens import Token, tokenize

# What the trainer is told (python-crfsuite's L-BFGS): L1 keeps the model small, L2 smooth.
PARAMETERS = {"c1": 0.2, "c2": 0.01, "max_iterations": 150,
              "feature.possible_transitions": True, "feature.minfreq": 2}


def token_labels(item: Labelled, tokens: list[Token]) -> list[Label]:
    """The label of each token of `item.text`."""
    own = [item.label_at(t.start) if t.text[0].isalnum() or "/" in t.text else None
           for t in tokens]
    labels: list[Label] = []
    for i, token in enumerate(tokens):
        label = own[i]
        if label is None and not (token.text[0].isalnum() or "/" in token.text):
            # a mark against the word before it, else against the word after it
            if i > 0 and not token.space_before and labels:
                label = labels[-1]
            else:
                label = next((own[j] for j in range(i + 1, len(tokens))
                              if own[j] is not None or tokens[j].text[0].isalnum()), None)
                if label is None and labels:
                    label = labels[-1]
        labels.append(label or Label.OTHER)
    return labels


def sequence(item: Labelled) -> tuple[list[list[str]], list[str]]:
    tokens = tokenize(item.text)
    return token_features(tokens), [str(label) for label in token_labels(item, tokens)]


def train(items: Sequence[Labelled], model: Path, parameters: dict | None = None) -> None:
    """Train a CRF on `items` and write it to `model`."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for item in items:
        features, labels = sequence(item)
        if features:
            trainer.append(features, labels)
    trainer.set_params({**PARAMETERS, **(parameters or {})})
    trainer.train(str(model))
