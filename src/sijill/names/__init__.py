"""Arabic and Latin name normalization and cross-script keys (shared layer).

Modules, each with one job:

* :mod:`.arabic` — ``normalize_arabic``: canonical Arabic spelling (hamza/alef forms, ى, ة,
  diacritics, tatweel, look-alike letters, digits, compounds such as عبد الله → عبدالله).
* :mod:`.latin` — ``normalize_latin``: canonical lowercase transliteration (accents, ayn marks,
  Arabizi digits, al-/el-, Abd al-/Abdul/Abdel/Abdur → ``abdul…``, Abu/Abou, bin/ibn/ben).
* :mod:`.skeleton` — consonant skeletons shared by both scripts (محمد/Mohammed → ``mhmd``).
* :mod:`.lexicon` — a built-in table of ~390 common Syrian names with their Latin spellings.
* :mod:`.keys` — the public keys: ``name_key``, ``token_key``, ``name_tokens``, ``script_of``,
  ``is_placeholder``, ``arabic_key``, ``latin_key``, ``romanize``.
* :mod:`.romanize` — display romanization (table spelling, else letter by letter).

Keys are for blocking and agreement in record linkage, not proof of identity: two different
people can share a key, and unknown names fall back to the skeleton, which cannot tell names
apart that differ only in vowels (see :mod:`.keys`).
"""
