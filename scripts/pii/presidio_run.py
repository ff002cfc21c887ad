#!/usr/bin/env python3
"""Runs Microsoft Presidio's analyzer on the labelled set (scripts/bench pii), the way a team would
run it on transcripts: each conversation as one text ("speaker: line" per line, so its context
words reach across turns), every recognizer of the default registry, default score threshold.

Presidio's default NLP engine loads a spaCy model (en_core_web_lg). No spaCy 3 model is on PyPI
and the benchmark fetches only from PyPI, so the engine here is spaCy's blank English pipeline:
tokens and lemmas for the pattern recognizers' context words, but no named-entity model — PERSON
and LOCATION (names, addresses) are therefore not found, which the report says.

Usage: presidio_run.py SET.json OUTPUT.json
"""
import json
import sys
import time

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine

KINDS = {
    "CREDIT_CARD": "card_number",
    "US_SSN": "ssn",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "DATE_TIME": "date_of_birth",
    "IBAN_CODE": "bank_account",
    "US_BANK_NUMBER": "bank_account",
    "LOCATION": "address",
    "PERSON": "person",
}


class BlankEnglish(SpacyNlpEngine):
    def __init__(self):
        super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
        self.nlp = {"en": spacy.blank("en")}

    def load(self):
        pass


def main():
    # The e-mail recognizer checks domains with tldextract, which would fetch the public suffix list
    # from the internet: its bundled copy instead (benchmarks fetch from PyPI only).
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    conversations = json.load(open(sys.argv[1]))
    engine = AnalyzerEngine(nlp_engine=BlankEnglish(), supported_languages=["en"])
    findings, other = [], {}
    started = time.monotonic()
    for conversation in conversations:
        offsets, text = [], ""
        for line in conversation["lines"]:
            prefix = line["speaker"] + ": "
            offsets.append(len(text) + len(prefix))
            text += prefix + line["text"] + "\n"
        for result in engine.analyze(text=text, language="en"):
            kind = KINDS.get(result.entity_type)
            if kind is None:
                other[result.entity_type] = other.get(result.entity_type, 0) + 1
                continue
            for index, offset in enumerate(offsets):
                line = conversation["lines"][index]["text"]
                start, end = max(result.start, offset), min(result.end, offset + len(line))
                if start < end:
                    findings.append({"conversation": conversation["id"], "line": index, "start": start - offset,
                                     "end": end - offset, "kind": kind})
    elapsed = time.monotonic() - started
    json.dump({"findings": findings, "seconds": elapsed, "unmapped": other}, open(sys.argv[2], "w"))
    print(f"presidio: {len(findings)} findings in {elapsed:.1f} s; other types: {other}")


if __name__ == "__main__":
    main()
