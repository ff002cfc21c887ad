#!/usr/bin/env python3
"""Writes the labelled set of call transcripts for `scripts/bench pii` (docs/redaction.md).

Conversations between an agent and a customer in which the customer gives personal data the way
ASR writes it: digits ("4242 4242 …"), digit words ("four two four two"), "oh" for zero, pairs
("forty two"), "double five", a number read in two breaths with the agent's "mm-hm" between, e-mail
addresses written or said ("john dot smith at example dot com"), dates of birth, street addresses,
names, IBANs. Decoys stand beside them: order, tracking and ticket numbers, prices, times,
extensions, years. Every value is made up here (test card numbers pass Luhn by construction).

Each line is a turn (speaker, start, end, text). Each label names the kind and the characters of the
line that say it; a value split over two lines has a label in each (one entity). Decoys are labelled
`decoy` (scored as what must stay).

Usage: scripts/pii/make_set.py OUTPUT.json [--conversations N] [--seed S]
"""
import argparse
import json
import random

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
            9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth",
            15: "fifteenth", 16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth", 20: "twentieth",
            21: "twenty first", 22: "twenty second", 23: "twenty third", 24: "twenty fourth", 25: "twenty fifth",
            26: "twenty sixth", 27: "twenty seventh", 28: "twenty eighth"}
FIRST = ["John", "Maria", "David", "Aisha", "Wei", "Priya", "Carlos", "Emma", "Olga", "Kwame", "Sofia", "Liam"]
LAST = ["Smith", "Lopez", "Chen", "Okafor", "Patel", "Novak", "Garcia", "Brown", "Kim", "Rossi", "Haddad"]
STREETS = ["Main", "Oak", "Baker", "Elm", "Maple", "Cedar", "Sunset", "Park", "Lake", "Hill"]
SUFFIXES = ["Street", "Avenue", "Road", "Lane", "Drive", "Boulevard", "Court"]
DOMAINS = ["gmail.com", "example.com", "yahoo.com", "outlook.com", "acme.io", "mail.co.uk"]
IBAN_COUNTRIES = {"GB": 22, "DE": 22, "FR": 27, "NL": 18}


def luhn_complete(prefix, length, rng):
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return digits + str((10 - total % 10) % 10)


def iban(rng):
    country = rng.choice(sorted(IBAN_COUNTRIES))
    length = IBAN_COUNTRIES[country]
    if country == "GB":
        bban = rng.choice(["WEST", "BARC", "NWBK", "LOYD"]) + "".join(rng.choice("0123456789") for _ in range(14))
    else:
        bban = "".join(rng.choice("0123456789") for _ in range(length - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


def spoken_digits(digits, rng, oh=True, pairs=False, double=False):
    """Digit words for `digits`, in groups as people read them."""
    words, i = [], 0
    while i < len(digits):
        d = digits[i]
        if double and i + 1 < len(digits) and digits[i + 1] == d and rng.random() < 0.6:
            words.append("double " + DIGIT_WORDS[int(d)])
            i += 2
            continue
        if pairs and i + 1 < len(digits) and d in "23456789" and rng.random() < 0.7:
            tail = digits[i + 1]
            words.append(TENS[int(d)] + ("" if tail == "0" else " " + DIGIT_WORDS[int(tail)]))
            i += 2
            continue
        words.append("oh" if d == "0" and oh and rng.random() < 0.7 else DIGIT_WORDS[int(d)])
        i += 1
    return " ".join(words)


def grouped(digits, sizes, sep=" "):
    out, i = [], 0
    for size in sizes:
        out.append(digits[i:i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(x for x in out if x)


def year_words(year):
    hi, lo = divmod(year, 100)
    high = TEENS[hi - 10] if 10 <= hi < 20 else "twenty"
    if lo == 0:
        return high + " hundred"
    if lo < 10:
        return f"{high} oh {DIGIT_WORDS[lo]}"
    if lo < 20:
        return f"{high} {TEENS[lo - 10]}"
    return f"{high} {TENS[lo // 10]}" + ("" if lo % 10 == 0 else " " + DIGIT_WORDS[lo % 10])


class Conversation:
    def __init__(self, ident):
        self.id = ident
        self.lines = []
        self.labels = []
        self.time = 0.0
        self.entity = 0

    def say(self, speaker, *parts):
        """Adds a line from parts: plain strings, or (kind, text, entity) tuples that are labelled."""
        text, labels = "", []
        for part in parts:
            if isinstance(part, tuple):
                kind, value, entity = part
                labels.append({"kind": kind, "start": len(text), "end": len(text) + len(value), "entity": entity})
                text += value
            else:
                text += part
        duration = max(0.8, len(text.split()) * 0.38)
        start = self.time + 0.4
        self.time = start + duration
        index = len(self.lines)
        self.lines.append({"speaker": speaker, "start": round(start, 2), "end": round(self.time, 2), "text": text})
        for label in labels:
            self.labels.append(dict(label, line=index))

    def new_entity(self):
        self.entity += 1
        return f"{self.id}-e{self.entity}"

    def as_json(self):
        return {"id": self.id, "lines": self.lines, "labels": self.labels}


def card(rng):
    kind = rng.random()
    if kind < 0.45:
        return luhn_complete("4", 16, rng), [4, 4, 4, 4]
    if kind < 0.8:
        return luhn_complete(rng.choice(["51", "52", "53", "54", "55"]), 16, rng), [4, 4, 4, 4]
    return luhn_complete(rng.choice(["34", "37"]), 15, rng), [4, 6, 5]


def add_card(c, rng):
    number, sizes = card(rng)
    c.say("agent", rng.choice(["Can I have the long number on the card?", "What's the card number, please?",
                               "Go ahead with the sixteen digits on the front of your card.",
                               "Which card would you like to use? I'll need the number."]))
    style = rng.choice(["digits", "dashes", "words", "words-oh", "pairs", "split", "split-words"])
    e = c.new_entity()
    if style == "digits":
        c.say("customer", rng.choice(["Sure, it's ", "Yes, ", "It is "]), ("card_number", grouped(number, sizes), e), ".")
    elif style == "dashes":
        c.say("customer", "Okay, ", ("card_number", grouped(number, sizes, "-"), e), ".")
    elif style in ("words", "words-oh"):
        groups = grouped(number, sizes).split()
        text = ", ".join(spoken_digits(g, rng, oh=style == "words-oh", double=True) for g in groups)
        c.say("customer", "It's ", ("card_number", text, e), ".")
    elif style == "pairs":
        groups = grouped(number, sizes).split()
        text = " ".join(spoken_digits(g, rng, pairs=True) for g in groups)
        c.say("customer", ("card_number", text, e))
    else:
        groups = grouped(number, sizes).split()
        words = style == "split-words"
        render = (lambda g: spoken_digits(g, rng)) if words else (lambda g: g)
        half = len(groups) // 2
        c.say("customer", "Yes, it's ", ("card_number", " ".join(render(g) for g in groups[:half]), e))
        c.say("agent", rng.choice(["Mm-hm.", "Okay.", "Go on.", "Yep."]))
        c.say("customer", ("card_number", " ".join(render(g) for g in groups[half:]), e), ".")
    if rng.random() < 0.8:
        c.say("agent", rng.choice(["And the expiry date?", "When does it expire?", "Expiration date?"]))
        month, year = rng.randint(1, 12), rng.randint(25, 31)
        e = c.new_entity()
        styles = [f"{month:02d}/{year}", f"{spoken_digits(f'{month:02d}', rng)} {TENS[year // 10]} "
                  f"{DIGIT_WORDS[year % 10]}", f"{MONTHS[month - 1]} twenty {TENS[year // 10]} {DIGIT_WORDS[year % 10]}"]
        c.say("customer", ("card_expiry", rng.choice(styles), e))
    if rng.random() < 0.7:
        c.say("agent", rng.choice(["And the three digit security code on the back?", "What's the CVV?",
                                   "The security code, please."]))
        code = "".join(rng.choice("0123456789") for _ in range(3))
        e = c.new_entity()
        c.say("customer", ("card_security_code", rng.choice([code, spoken_digits(code, rng)]), e), ".")


def add_ssn(c, rng):
    area = rng.choice([n for n in range(1, 900) if n != 666])
    ssn = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    c.say("agent", rng.choice(["For verification, what's your social security number?",
                               "Can you confirm your social?", "I'll need the last nine of your SSN... the full SSN."]))
    e = c.new_entity()
    style = rng.choice(["written", "words", "split"])
    if style == "written":
        c.say("customer", "It's ", ("ssn", f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}", e), ".")
    elif style == "words":
        c.say("customer", ("ssn", ", ".join(spoken_digits(g, rng) for g in (ssn[:3], ssn[3:5], ssn[5:])), e))
    else:
        c.say("customer", "Sure, ", ("ssn", spoken_digits(ssn[:5], rng), e))
        c.say("agent", "Uh-huh.")
        c.say("customer", ("ssn", spoken_digits(ssn[5:], rng), e), ".")


def add_phone(c, rng):
    area = rng.randint(201, 989)
    exchange = rng.randint(200, 999)
    number = f"{area}{exchange}{rng.randint(0, 9999):04d}"
    c.say("agent", rng.choice(["What's the best number to reach you?", "Can I get a callback number?",
                               "And a phone number for the account?"]))
    e = c.new_entity()
    style = rng.choice(["paren", "dots", "words", "plain"])
    text = {"paren": f"({number[:3]}) {number[3:6]}-{number[6:]}", "dots": f"{number[:3]}.{number[3:6]}.{number[6:]}",
            "words": ", ".join(spoken_digits(g, rng, double=True) for g in (number[:3], number[3:6], number[6:])),
            "plain": f"{number[:3]} {number[3:6]} {number[6:]}"}[style]
    c.say("customer", rng.choice(["You can call me at ", "It's ", "My cell is "]), ("phone", text, e), ".")


def add_email(c, rng):
    first, last = rng.choice(FIRST).lower(), rng.choice(LAST).lower()
    domain = rng.choice(DOMAINS)
    c.say("agent", rng.choice(["What email should I send the receipt to?", "Can I have your email address?"]))
    e = c.new_entity()
    style = rng.choice(["written", "said", "said", "spelled"])
    if style == "written":
        text = f"{first}.{last}@{domain}"
    elif style == "said":
        text = f"{first} dot {last} at " + " dot ".join(domain.split("."))
    else:
        text = " ".join(first[:1] + last) + " at " + " dot ".join(domain.split("."))
    c.say("customer", "It's ", ("email", text, e), ".")


def add_birth(c, rng):
    year, month, day = rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28)
    c.say("agent", rng.choice(["And your date of birth?", "Can you confirm your birthday?", "What's your DOB?"]))
    e = c.new_entity()
    style = rng.choice(["written", "month", "ordinal", "spoken", "numeric"])
    text = {"written": f"{MONTHS[month - 1]} {day}, {year}", "month": f"{MONTHS[month - 1]} {day} {year}",
            "ordinal": f"{ORDINALS[day]} of {MONTHS[month - 1]}, {year_words(year)}",
            "spoken": f"{MONTHS[month - 1]} {ORDINALS[day]} {year_words(year)}",
            "numeric": f"{month:02d}/{day:02d}/{year}"}[style]
    lead = rng.choice(["I was born ", "It's ", ""]) + ("on " if style != "numeric" and rng.random() < .3 else "")
    c.say("customer", lead + ("the " if style == "ordinal" else ""), ("date_of_birth", text, e), ".")


def add_address(c, rng):
    number = rng.randint(1, 9999)
    street = f"{rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    c.say("agent", rng.choice(["What's the billing address?", "Where should we ship it?"]))
    e = c.new_entity()
    house = str(number) if rng.random() < 0.6 else spoken_digits(str(number), rng)
    text = f"{house} {street}"
    if rng.random() < 0.3:
        text += f", apartment {rng.randint(1, 40)}"
    c.say("customer", "It's ", ("address", text, e), ".")


def add_name(c, rng):
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    e = c.new_entity()
    c.say("agent", "Who am I speaking with?")
    c.say("customer", rng.choice(["My name is ", "Hi, this is ", "It's "]), ("person", name, e), ".")


def add_bank(c, rng):
    e = c.new_entity()
    if rng.random() < 0.5:
        c.say("agent", "What's the IBAN for the refund?")
        value = iban(rng)
        text = " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.6 else value
        c.say("customer", "It's ", ("bank_account", text, e), ".")
    else:
        c.say("agent", rng.choice(["And the checking account number?", "What's the routing number?"]))
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([9, 10, 12])))
        c.say("customer", ("bank_account", rng.choice([digits, spoken_digits(digits, rng)]), e), ".")


def add_decoys(c, rng):
    for _ in range(rng.randint(2, 4)):
        e = c.new_entity()
        kind = rng.choice(["order", "tracking", "price", "time", "ticket", "extension", "year", "minutes", "amount"])
        if kind == "order":
            n = "".join(rng.choice("0123456789") for _ in range(rng.choice([5, 6, 8, 10])))
            c.say("agent", "Your order number is ", ("decoy", rng.choice([n, spoken_digits(n, rng)]), e), ".")
        elif kind == "tracking":
            n = "1Z" + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(16))
            c.say("agent", "The tracking number is ", ("decoy", n, e), ".")
        elif kind == "price":
            c.say("agent", "That comes to ", ("decoy", f"${rng.randint(5, 999)}.{rng.randint(0, 99):02d}", e), " today.")
        elif kind == "time":
            c.say("customer", "Can you call back at ", ("decoy", f"{rng.randint(1, 12)}:{rng.choice(['00', '15', '30', '45'])} pm", e), "?")
        elif kind == "ticket":
            n = "".join(rng.choice("0123456789") for _ in range(7))
            c.say("agent", "I've opened ticket ", ("decoy", n, e), " for you.")
        elif kind == "extension":
            c.say("agent", "My direct extension is ", ("decoy", str(rng.randint(1000, 9999)), e), ".")
        elif kind == "year":
            c.say("customer", "I've been a customer since ", ("decoy", str(rng.randint(1995, 2024)), e), ".")
        elif kind == "minutes":
            c.say("agent", "It'll take about ", ("decoy", rng.choice(["fifteen", "twenty", "forty five"]), e), " minutes.")
        else:
            c.say("customer", "I was charged ", ("decoy", rng.choice(["forty two dollars", "one hundred twenty dollars"]), e), " twice.")


def conversation(index, rng):
    c = Conversation(f"c{index:03d}")
    c.say("agent", "Thank you for calling, how can I help you today?")
    c.say("customer", rng.choice(["Hi, I'd like to update my payment details.", "Hello, I have a billing question.",
                                  "Hi, I need to pay my bill.", "Yes, I'm calling about a refund."]))
    steps = [add_card, add_ssn, add_phone, add_email, add_birth, add_address, add_name, add_bank]
    chosen = rng.sample(steps, rng.randint(3, 5))
    if add_card not in chosen and rng.random() < 0.5:
        chosen.append(add_card)
    rng.shuffle(chosen)
    for step in chosen:
        step(c, rng)
    add_decoys(c, rng)
    c.say("agent", "Is there anything else I can help with?")
    c.say("customer", "No, that's all. Thanks!")
    return c.as_json()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--conversations", type=int, default=80)
    parser.add_argument("--seed", type=int, default=20261207)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    conversations = [conversation(i, rng) for i in range(arguments.conversations)]
    with open(arguments.output, "w") as handle:
        json.dump(conversations, handle, indent=1)
    entities = {}
    for c in conversations:
        for label in c["labels"]:
            entities.setdefault(label["kind"], set()).add(label["entity"])
    print("pii set:", len(conversations), "conversations;",
          ", ".join(f"{k} {len(v)}" for k, v in sorted(entities.items())))


if __name__ == "__main__":
    main()
