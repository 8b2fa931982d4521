"""The geoparser's lexicon: lemmas (not word forms) in English and Russian, mapped onto the
register's vocabulary (geo.evidence.vocabulary).

Text words are lemmatised before they are looked up — English with simplemma, Russian with
pymorphy3 — so "arrested", "arrests", "задержали", "задержания" all meet the lemma listed here.
A trigger is one lemma or a sequence of lemmas ("hand over", "refugee status", "выдворение").
Each incident type lists its triggers with a weight: the type of a passage is the one whose
triggers weigh most, and `type_evidence` lists the words that triggered it, as written.
To extend: add lemmas (check them with `python -c "import simplemma; print(simplemma.lemmatize('word', lang='en'))"`
or pymorphy3's `parse(word)[0].normal_form`); the contract test keeps every key in the vocabulary.
"""
from __future__ import annotations

# type -> {language: {trigger (space-separated lemmas): weight}}
TYPE_TRIGGERS: dict[str, dict[str, dict[str, float]]] = {
    "abduction": {
        "en": {"abduct": 3, "abduction": 3, "kidnap": 3, "kidnapping": 3, "snatch": 2, "disappear": 1.5,
               "disappearance": 1.5, "take away": 1, "take to": 1.5, "force into": 1.5, "forcibly take": 2, "seize": 1.5, "grab": 1.5},
        "ru": {"похитить": 3, "похищение": 3, "похищать": 3, "выкрасть": 3, "исчезнуть": 1.5, "исчезновение": 1.5,
               "увезти": 1.5, "затолкать": 2, "схватить": 1.5},
    },
    "arrest_detention": {
        "en": {"arrest": 3, "detain": 3, "detention": 2.5, "custody": 2, "imprison": 2.5, "imprisonment": 2,
               "prison": 1.5, "jail": 2, "handcuff": 2.5, "apprehend": 2.5, "lock": 2.5, "hold": 0.5,
               "detention center": 2.5, "detention centre": 2.5, "pre-trial": 1.5},
        "ru": {"арестовать": 3, "арест": 3, "задержать": 3, "задержание": 3, "задерживать": 3, "содержаться": 1.5,
               "тюрьма": 1.5, "изолятор": 2.5, "сизо": 2.5, "цвсиг": 2.5, "заключение": 1.5, "наручник": 2.5,
               "поместить": 1.5, "запереть": 1.5},
    },
    "court_decision": {
        "en": {"expel": 3, "expulsion": 3, "judge": 1.5, "court": 1.5, "ruling": 1.5, "decree": 1.5,
               "controlled departure": 3, "administrative expulsion": 3.5, "resolution": 0.5, "order": 0.5,
               "decision": 1},
        "ru": {"выдворение": 3.5, "выдворить": 3.5, "выдворять": 3.5, "судья": 1.5, "суд": 1.5, "постановление": 1.5,
               "решение": 0.5, "контролировать самостоятельный выезд": 3, "самостоятельный": 1,
               "административный выдворение": 3.5},
    },
    "forcible_return": {
        "en": {"deport": 3, "deportation": 3, "repatriate": 3, "repatriation": 3, "forcibly return": 3.5,
               "hand over": 3, "handover": 3, "send back": 3, "return": 1, "extradite": 3, "extradition": 2.5,
               "readmission": 1.5, "refoulement": 3},
        "ru": {"депортировать": 3, "депортация": 3, "репатриировать": 3, "репатриация": 3, "выдать": 2,
               "выдача": 2.5, "передать": 1.5, "экстрадиция": 2.5, "вернуть": 1.5, "отправить обратно": 3,
               "принудительный возвращение": 3.5},
    },
    "killing": {
        "en": {"kill": 3, "execute": 3, "execution": 3, "shoot dead": 4, "murder": 2.5, "shot dead": 4},
        "ru": {"убить": 3, "казнить": 3, "казнь": 3, "расстрелять": 3.5, "застрелить": 3.5, "убийство": 2.5},
    },
    "death": {
        "en": {"die": 3, "death": 2, "suicide": 3, "dead": 2, "body": 1},
        "ru": {"умереть": 3, "смерть": 2, "погибнуть": 3, "гибель": 3, "самоубийство": 3, "скончаться": 3, "тело": 1},
    },
    "ill_treatment": {
        "en": {"beat": 3, "beating": 3, "torture": 3, "ill-treatment": 3, "ill-treat": 3, "abuse": 1.5,
               "injure": 2, "break": 1, "hemorrhage": 2, "blood": 1.5, "cast": 1, "plaster": 1.5, "tie": 1.5,
               "tie to": 2.5, "starve": 2},
        "ru": {"избить": 3, "избиение": 3, "пытка": 3, "пытать": 3, "жестокий обращение": 3, "бить": 2.5,
               "травма": 2, "кровь": 1.5, "гипс": 1, "привязать": 1.5, "голод": 1.5},
    },
    "surveillance_intimidation": {
        "en": {"search": 2.5, "raid": 2.5, "surveillance": 3, "intimidate": 3, "intimidation": 3, "threaten": 2.5,
               "threat": 2, "pursue": 2, "pursuit": 2.5, "hunt": 2, "watch": 1, "follow": 1, "criticize": 2.5},
        "ru": {"обыск": 3, "слежка": 3, "запугивание": 3, "запугать": 3, "угрожать": 2.5, "угроза": 2,
               "преследование": 2.5, "преследовать": 2.5, "облава": 2.5, "розыск": 2},
    },
    "forced_labour": {
        "en": {"forced labour": 4, "forced labor": 4, "construction worker": 2, "logging": 1.5, "wage": 1.5,
               "work": 0.5, "worker": 0.5, "hour": 0.5, "unpaid": 2, "confiscate": 1.5, "passport": 0.5,
               "quota": 1.5, "labour": 1, "labor": 1},
        "ru": {"принудительный труд": 4, "стройка": 1.5, "лесозаготовка": 1.5, "зарплата": 1.5, "работать": 0.5,
               "рабочий": 0.5, "паспорт": 0.5, "изъять": 1.5, "план": 0.5},
    },
    "administrative_decision": {
        "en": {"prosecutor": 2, "procurator": 2, "sanction": 1.5, "citizenship": 1.5, "registry office": 2,
               "marriage": 1, "deportation order": 2.5},
        "ru": {"прокурор": 2, "прокуратура": 2, "санкция": 1.5, "гражданство": 1.5, "загс": 2, "брак": 1},
    },
    "asylum_application": {
        "en": {"apply for asylum": 3.5, "apply for refugee status": 3.5, "application for asylum": 3,
               "asylum application": 3, "seek asylum": 3, "asylum seeker": 1.5, "file an application": 2, "applied": 0.5},
        "ru": {"ходатайство о признании беженцем": 3.5, "обратиться за убежище": 3, "подать ходатайство": 3,
               "просить убежище": 3},
    },
    "asylum_decision": {
        "en": {"asylum": 2.5, "refugee status": 3, "temporary asylum": 3.5, "refuse": 1.5, "refusal": 1.5, "deny": 1.5,
               "grant": 1.5, "application": 1, "certificate": 1, "migration service": 1.5, "appeal": 1},
        "ru": {"убежище": 2.5, "временный убежище": 3.5, "статус беженец": 3, "отказать": 1.5, "отказ": 1.5,
               "предоставить": 1, "ходатайство": 1.5, "свидетельство": 1, "миграционный служба": 1.5, "обжаловать": 1},
    },
    "escape": {
        "en": {"escape": 3, "flee": 3, "defect": 2.5, "run away": 3, "desert": 2, "jump": 1.5, "hide": 1.5, "cross": 1},
        "ru": {"бежать": 3, "сбежать": 3, "побег": 3, "скрыться": 2.5, "укрыться": 2, "перейти": 1, "выпрыгнуть": 2},
    },
    "release_resettlement": {
        "en": {"release": 3, "resettle": 3, "resettlement": 3, "settle": 1.5, "safe place": 2, "leave russia": 2,
               "safe country": 2, "free": 1},
        "ru": {"освободить": 3, "освобождение": 3, "переселение": 3, "переселить": 3, "выехать": 1.5, "безопасный": 1.5},
    },
    "advocacy": {
        "en": {"appeal to": 1.5, "association": 1.5, "statement": 1, "petition": 2, "ombudsman": 2.5,
               "special rapporteur": 1.5, "urge": 2, "call on": 2, "intervene": 2, "campaign": 2},
        "ru": {"обращение": 1.5, "ассоциация": 1.5, "заявление": 1, "петиция": 2, "уполномоченный по правам человека": 2.5,
               "омбудсмен": 2.5, "призвать": 2},
    },
    "agreement_policy": {
        "en": {"agreement": 3, "treaty": 3, "sign": 1.5, "summit": 2.5, "accord": 2, "protocol": 1.5,
               "recommendation": 1, "policy": 1.5, "law": 1},
        "ru": {"соглашение": 3, "договор": 3, "подписать": 1.5, "саммит": 2.5, "протокол": 1.5, "закон": 1},
    },
}
# A passage needs at least this much trigger weight to be a candidate at all.
MIN_TYPE_WEIGHT = 2.5
# When weights tie, the graver or more specific type is proposed.
TYPE_PRIORITY = ("killing", "death", "abduction", "forcible_return", "court_decision", "administrative_decision",
                 "arrest_detention", "ill_treatment", "escape", "surveillance_intimidation", "asylum_decision",
                 "asylum_application", "release_resettlement", "forced_labour", "agreement_policy", "advocacy")

# actor -> {language: {trigger: weight}}
ACTOR_TRIGGERS: dict[str, dict[str, tuple[str, ...]]] = {
    "dprk_security": {"en": ("pss", "public security", "state security", "bowibu", "north korean agent",
                             "north korean official", "north korean security"),
                      "ru": ("госбезопасность кндр", "спецслужба кндр", "агент кндр")},
    "dprk_enterprise": {"en": ("company", "enterprise", "logging company", "employer", "management"),
                        "ru": ("компания", "предприятие", "фирма")},
    "dprk_government": {"en": ("embassy", "consulate", "north korean authority", "dprk authority"),
                        "ru": ("посольство", "консульство", "власть кндр")},
    "ru_police": {"en": ("police", "policeman", "mvd", "internal affair", "police officer"),
                  "ru": ("полиция", "полицейский", "мвд", "милиция", "милиционер")},
    "ru_migration": {"en": ("migration service", "fms", "uvm", "gumvd", "migration authority"),
                     "ru": ("миграционный служба", "фмс", "увм", "гувм")},
    "ru_court": {"en": ("court", "judge"), "ru": ("суд", "судья")},
    "ru_prosecutor": {"en": ("prosecutor", "procurator", "prosecutor's office"), "ru": ("прокурор", "прокуратура")},
    "ru_authorities": {"en": ("russian authority", "russian official", "local authority"),
                       "ru": ("российский власть", "местный власть", "чиновник")},
    "dprk_citizens": {"en": ("citizen of the dprk", "dprk citizen", "north korean citizen"),
                      "ru": ("гражданин кндр",)},
    "ru_border_security": {"en": ("fsb", "border guard", "federal security service", "border service"),
                           "ru": ("фсб", "пограничник", "пограничный служба")},
    "ru_government": {"en": ("russian government", "ministry"),
                      "ru": ("правительство", "министерство", "российский власть")},
    "un": {"en": ("unhcr", "united nations", "special rapporteur"), "ru": ("оон", "увкб")},
}

# Nouns that a count of people goes with (lemmas).
PEOPLE_NOUNS = {
    "en": {"worker", "citizen", "korean", "north korean", "people", "person", "man", "woman", "refugee",
           "defector", "laborer", "labourer", "logger", "individual", "national", "escapee", "asylum seeker",
           "child", "family", "prisoner", "detainee", "miner"},
    "ru": {"рабочий", "гражданин", "человек", "кореец", "северокореец", "беженец", "перебежчик", "работник",
           "лесоруб", "мужчина", "женщина", "задержанный", "заключённый", "заключенный", "ребёнок", "ребенок"},
}
NUMBER_WORDS = {
    "en": {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
           "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
           "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
           "dozen": 12, "both": 2, "pair": 2, "couple": 2},
    # pymorphy3 lemmas: "двух" -> два, "пятерых" -> пятеро, "сорока" -> сорок
    "ru": {"один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
           "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
           "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
           "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
           "восемьдесят": 80, "девяносто": 90, "сто": 100, "тысяча": 1000, "двое": 2, "трое": 3, "четверо": 4,
           "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "девятеро": 9, "десятеро": 10, "оба": 2},
}
# Counts that give no lowest figure: the phrase is kept, the number is null.
VAGUE_QUANTITIES = {
    "en": {"several", "many", "some", "dozens", "hundreds", "thousands", "numerous", "few", "group", "number",
           "various", "multiple", "scores"},
    "ru": {"несколько", "много", "многие", "десятки", "сотни", "тысячи", "группа", "ряд", "немало", "некоторые"},
}
LOWER_BOUND_WORDS = {"en": {"at least", "no fewer than", "not less than", "more than", "over"},
                     "ru": {"не менее", "по меньшей мере", "как минимум", "более", "свыше", "больше"}}

# Korean family names as romanised in English-language reports (and Russian forms: Tsoi, Kim, Pak).
KOREAN_SURNAMES = {
    "kim", "lee", "li", "ri", "yi", "park", "pak", "choi", "choe", "tsoi", "jong", "jung", "jeong", "chong", "song",
    "han", "ryu", "yu", "kang", "cho", "jo", "yoon", "yun", "jang", "chang", "lim", "rim", "shin", "sin", "kwon",
    "hwang", "ahn", "an", "son", "ko", "moon", "mun", "yang", "bae", "baek", "paek", "heo", "hur", "nam", "noh",
    "ha", "jeon", "chon", "seo", "suh", "hong", "oh", "kwak", "seong", "cha", "joo", "ju", "woo", "min", "chae",
    "byun", "pyon", "gil", "kil", "um", "eom", "ok", "tak", "pyo", "ri", "su"}
# Russian given names as they appear in English texts (natasha finds them in Russian texts).
RUSSIAN_GIVEN_NAMES = {
    "aleksandr", "alexander", "alexei", "aleksei", "alexey", "anatoly", "andrei", "andrey", "anna", "anya",
    "antoshka", "boris", "dmitry", "dmitri", "elena", "yelena", "elvira", "evgeny", "galina", "igor", "irina",
    "ivan", "konstantin", "roza", "nikolai", "nikolay", "lyudmila", "ludmila", "maria", "marina", "mikhail", "natalia", "natalya", "nikolai",
    "oleg", "olga", "pavel", "sergei", "sergey", "svetlana", "tatiana", "tatyana", "valentina", "valeria",
    "valery", "valeriy", "vera", "viktor", "vladimir", "yuri", "yury", "zhanna"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "mister", "madam", "dr", "г-н", "г-жа", "гражданин", "гражданка"}
# Public figures named in the sources who are not people at risk (heads of state, rapporteurs).
PUBLIC_FIGURES = {"kim jong un", "kim jong-un", "kim jong il", "kim jong-il", "kim il sung", "kim il-sung",
                  "vladimir putin", "putin", "moon jae-in", "donald trump", "tomás ojea quintana",
                  "tomas ojea quintana", "marzuki darusman", "ким чен ын", "владимир путин", "путин"}
