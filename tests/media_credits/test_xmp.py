from media_credits import xmp


def test_build_xmp_escapes_markup_and_reads_back():
    packet = xmp.build_xmp({"credit_line": 'A <b>"bold"</b> & co\x01', "caption": "é"})

    assert b"<b>" not in packet
    assert xmp.read_xmp(packet) == {"credit_line": 'A <b>"bold"</b> & co', "caption": "é"}


def test_an_xmp_packet_with_a_doctype_is_ignored():
    packet = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>'

    assert xmp.read_xmp(packet) == {}


def test_the_ai_prompt_is_never_embedded_and_empty_values_are_left_out():
    packet = xmp.build_xmp(
        {"ai_prompt": "secret prompt", "credit_line": "", "ai_system": "Midjourney"}
    )

    assert b"secret prompt" not in packet
    assert b"photoshop:Credit" not in packet
    assert xmp.read_xmp(packet) == {"ai_system": "Midjourney"}


def test_the_licensor_is_read_back_from_its_structure():
    packet = xmp.build_xmp({"licensor_name": "Midjourney", "licensor_url": "https://example.test/"})

    assert xmp.read_xmp(packet) == {
        "licensor_name": "Midjourney",
        "licensor_url": "https://example.test/",
    }


def test_the_digest_changes_with_the_packet():
    assert xmp.metadata_digest(b"a") != xmp.metadata_digest(b"b")
    assert len(xmp.metadata_digest(b"a")) == 64
