BBBBBBB BBBBBBBBBBB
BBBB BBBB
BBBBB BBBBB gettext(u'Check a digital signature') BBBBBBBB
BBBBB BBBBXXXXX XXXXXXXXXXXXX XXXXXXXXXXXXXXXXXXBBBBBBBB
BBBBB BBBBBBB
XXXX XXXXXXXXXXXXXXX
  XXXX gettext(u'Check a digital signature') XXXXX
  XX XXXXXXXXXXXXXX gettext(u"Upload a PDF — a result, a receipt or an electronic copy — to learn who signed it, when, whether it has been changed since, and whether the signer's certificate is trusted. The file is not kept.") 
    SSSSSS S SSS S S SSSSSSS S SSSSSSS SS SS SSSSSSSSSS SSSS S SS SSSSS SSS SSSSSS SSS SSSSS
    SSSSSSS SS SSS SSSS SSSSSSS SSSSSS SSS SSSSSSS SSS SSSSSSSS SSSSSSSSSSS SS SSSSSSSS
    SSS SSSS SS SSS SSSSS
  XXXX
  XXXXX XXXXXXXXXXXXX XXXXXXXXXXXXXXXXXXXXXXXXXXXXX XXXXXXXXXXXXXXXXXXXX
    BBBBBBBBBB
    
    XXXXXXX XXXXXXXXXXXXX XXXXXXXXXXXXXXX gettext(u'Check') XXXXXXXXX
  XXXXXXX

  BB BBBBB
    XX XXXXXXXXXXXXX XXXXXX XXXXXXXXXXXXXXXXX
  BBBB BBBBBB
    XXXXXXXX XXXXXXXXXXXXXXXXXXX
      XXXX gettext(u'Result for %(name)s') SSSSSS SSS SSSSSSSSXXXXX
      BB BBB BBBBBBBBBBBBBBB
        XX XXXXXXXXXXXXX XXXXXX XXXXXXXXXXXXXXXXX
      BBBB BBB BBBBBBBBBBBBBBBBB
        XX XXXXXXXXXXXXX XXXXXX XXXXXXXXXXXXX gettext(u'This PDF carries no digital signature.') XXXX
      BBBB
        BB BBBBBBBBB
          XX XXXXXXXXXXXXX XXXXXXXXX gettext(u'Every signature is valid: the document is intact and its signers are trusted.') XXXX
        BBBB
          XX XXXXXXXXXXXXX XXXXXX XXXXXXXXXXXXX gettext(u'At least one signature is not valid: see below.') XXXX
        BBBBB
        BBB B BB BBBBBBBBBBBBBBBBB
          XXXXXX XXXXXXXXXXXXXXXXXXXXXXXXX
            XXXXXXXXX gettext(u'Signature %(n)s') SSSSSSSSS SSSSSXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Signed by') XXXXXXXXXFFFFFFFFFFFBB BBBBBBBBBBBBBB BBB BBBBBBBBBBBBBB BB BBBBBBBB XXBBBBBXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Signed at (as the signer states)') XXXXXXXXXFFFFFFFFFFFXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Timestamp') XXXXXXXXXBB BBBBBBBBBBBBBB X BB BBBBBBBBBBBBBB gettext(u'valid') BBBB gettext(u'not valid') BBBBBBBBB gettext(u'none') BBBBBXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Document intact') XXXXXXXXXBB BBBBBBBB BBB BBBBBBB gettext(u'Yes: not changed since it was signed') BBBBXXXXXXXX gettext(u'No: the document was changed after it was signed') XXXXXXXXXBBBBBXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Signer trusted') XXXXXXXXXBB BBBBBBBBB gettext(u'Yes') BBBBXXXXXXXX gettext(u'No: the certificate does not lead to a trusted authority') XXXXXXXXXBBBBBXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Covers') XXXXXXXXXBB BBBBBBBBBBBBBBBB gettext(u'The whole document') BBBBXXXXXXXX gettext(u'Only part of the document: content was added after signing') XXXXXXXXXBBBBBXXXXXXXXXX
            XXXXXXX XXXXXXXXXXXX gettext(u'Certificate fingerprint (SHA-256)') XXXXXXXXXXXXXX XXXXXXXXXXXXXXXXXXXXFFFFFFFFFFFXXXXXXXXXXXXXXXXX
          XXXXXXXX
        BBBBBB
      BBBBB
    XXXXXXXXXX
  BBBBB
XXXXXX
BBBBBBBB
