"""The benchmark generator: valid documents at any scale."""

from bench.generate import generate


def test_a_tiny_scale_still_generates_a_consistent_document():
    document = generate(scale=0.001)
    pairs = {(e["subcontractor"], e["controller"]) for e in document["engagements"]}
    assert len(pairs) == len(document["engagements"]) >= 1
    assert len(document["instructions"]) == 2 * len(document["controllers"])


def test_a_generated_document_imports_cleanly(app):
    from registry.interchange.importer import import_document

    report = import_document(generate(scale=0.01))
    assert report.ok, report.errors[:3]
