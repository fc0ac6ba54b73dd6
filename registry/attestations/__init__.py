"""Attestations: the review decisions (accept, reject) and the e-mails that report them."""
