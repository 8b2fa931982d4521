"""Evidence: the record schema, vocabularies, the register reader, source documents and the quote check, dates, cited statistics."""
