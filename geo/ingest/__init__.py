"""Taking in a new document: text extraction (extract), the geoparser that proposes candidate
records (propose) and what it reads words with (lexicon, dates, numbers, names)."""
