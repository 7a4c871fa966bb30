from __future__ import annotations

from shelter.triage.report import analyse_email
from shelter.triage.store import IndicatorStore
from tests.triage.conftest import message


def ids(raw: bytes, store: IndicatorStore) -> set[str]:
    return {f.id for f in analyse_email(raw, store).verdict.findings}


def test_plain_message_has_no_indicators(store: IndicatorStore) -> None:
    report = analyse_email(message(), store)
    assert report.verdict.verdict == "no_indicators_found"
    assert report.verdict.findings == ()


def test_rfc_authentication_results(store: IndicatorStore) -> None:
    raw = message(headers={"Authentication-Results": "mx.example.net; spf=fail smtp.mailfrom=example.org;"
                                                      " dkim=fail header.d=example.org; dmarc=fail header.from=example.org"})
    found = analyse_email(raw, store).verdict.findings
    assert {f.id for f in found} >= {"EM-01", "EM-02", "EM-03"}
    assert {f.severity for f in found if f.id in {"EM-01", "EM-03"}} == {"high"}


def test_exchange_online_form_without_authserv_id(store: IndicatorStore) -> None:
    raw = message(headers={"Authentication-Results": "spf=none (sender IP is 192.0.2.1) smtp.mailfrom=x.example;"
                                                      " dkim=none (message not signed) header.d=none;"
                                                      "dmarc=permerror action=none header.from=example.org;"})
    assert {"EM-01", "EM-02", "EM-03"} <= ids(raw, store)


def test_received_spf(store: IndicatorStore) -> None:
    assert "EM-01" in ids(message(headers={"Received-SPF": "SoftFail (domain of x does not designate)"}), store)


def test_dkim_signed_by_another_domain(store: IndicatorStore) -> None:
    raw = message(headers={"Authentication-Results": "mx; spf=pass; dkim=pass header.d=bulk-sender.example; dmarc=pass"})
    assert "EM-02" in ids(raw, store)


def test_passing_authentication_is_noted_only_next_to_other_findings(store: IndicatorStore) -> None:
    passing = {"Authentication-Results": "mx; spf=pass; dkim=pass header.d=example.org; dmarc=pass"}
    assert ids(message(headers=passing), store) == set()
    with_reply = dict(passing, **{"Reply-To": "alice.helper@gmail.com"})
    assert {"EM-04", "EM-10"} <= ids(message(headers=with_reply), store)


def test_freemail_reply_to_is_high(store: IndicatorStore) -> None:
    found = analyse_email(message(headers={"Reply-To": "x@gmail.com"}), store).verdict.findings
    assert [f.severity for f in found if f.id == "EM-04"] == ["high"]


def test_return_path_on_another_domain(store: IndicatorStore) -> None:
    assert "EM-05" in ids(message(headers={"Return-Path": "<www-data@vps-1.example-hosting.net>"}), store)


def test_display_name_with_another_address(store: IndicatorStore) -> None:
    assert "EM-06" in ids(message(sender='"boss@example.org" <boss@attacker.example>'), store)


def test_display_name_claiming_an_authority(store: IndicatorStore) -> None:
    found = ids(message(sender="Служба ФНС <notice@nalg.example>", subject="Уведомление"), store)
    assert {"EM-06", "ATT-06"} <= found


def test_display_name_of_the_real_brand_is_fine(store: IndicatorStore) -> None:
    assert "EM-06" not in ids(message(sender="Google <no-reply@accounts.google.com>"), store)


def test_lookalike_sender_domain(store: IndicatorStore) -> None:
    assert "EM-07" in ids(message(sender="Support <support@gmaill.com>"), store)
    raw = message(sender="Orders <orders@aquillaindustries.example>",
                  headers={"Reply-To": "orders@aquiIlaindustries.example"})
    evidence = [f.evidence for f in analyse_email(raw, store).verdict.findings if f.id == "EM-07"]
    assert evidence and "look-alike characters" in evidence[0]


def test_unicode_obfuscation(store: IndicatorStore) -> None:
    assert "EM-08" in ids(message(subject="𝕀𝕙𝕣 𝕚ℂ𝕝𝕠𝕦𝕕 𝕚𝕤𝕥 𝕧𝕠𝕝𝕝"), store)
    assert "EM-08" in ids(message(subject="Your PayPaI account"), store)
    assert "EM-08" in ids(message(subject="Аccount locked"), store)  # Cyrillic А in a Latin word
    assert "EM-08" not in ids(message(subject="Счёт за май"), store)


def test_sender_address_in_feed(store: IndicatorStore) -> None:
    report = analyse_email(message(sender="X <attacker@evil-phish.example>"), store)
    assert "EM-11" in {f.id for f in report.verdict.findings}
    assert report.verdict.verdict == "malicious"


def test_mailto_button_to_freemail_and_tracking_pixel(store: IndicatorStore) -> None:
    html = ('<a href="mailto:recover.team@gmail.com">Review activity</a>'
            '<img src="http://px.example/o.gif" width="1" height="1">')
    found = analyse_email(message(sender="Team <no-reply@access-security.example>", html=html), store).verdict.findings
    assert sorted(f.severity for f in found if f.id == "URL-08") == ["high", "low"]


def test_form_builder_links_are_not_clean(store: IndicatorStore) -> None:
    html = '<a href="https://forms.yandex.com/cloud/123">Open the chat transcript</a>'
    assert "EM-10" in ids(message(html=html), store)


def test_authority_named_only_in_the_text_is_a_weak_sign(store: IndicatorStore) -> None:
    found = analyse_email(message(body="Новости: налоговая реформа принята."), store).verdict
    assert [(f.id, f.severity) for f in found.findings] == [("ATT-06", "low")]
    assert found.verdict == "no_indicators_found"


def test_many_links_to_one_domain_are_one_reason(store: IndicatorStore) -> None:
    html = "".join(f'<a href="http://secure-login.top/{n}">go</a>' for n in range(50))
    found = analyse_email(message(html=html), store).verdict.findings
    assert [f.id for f in found] == ["URL-06"]


def test_findings_of_one_indicator_are_summarised_beyond_ten(store: IndicatorStore) -> None:
    html = "".join(f'<a href="http://h{n}.example/x">w{n}.example</a>' for n in range(30))
    found = [f for f in analyse_email(message(html=html), store).verdict.findings if f.id == "URL-08"]
    assert len(found) == 11 and found[-1].evidence == "and 20 more like the above"


def test_address_shown_as_itself_is_not_a_mail_button(store: IndicatorStore) -> None:
    html = '<p>Contact: <a href="mailto:export@partner.example">export@partner.example</a></p>'
    assert "URL-08" not in ids(message(html=html), store)


def test_envelope_sender_in_feed(store: IndicatorStore) -> None:
    raw = message(headers={"Return-Path": "<bounce@evil-phish.example>"})
    evidence = [f.evidence for f in analyse_email(raw, store).verdict.findings if f.id == "EM-11"]
    assert evidence and evidence[0].startswith("Return-Path bounce@evil-phish.example")


def test_lure_words_match_at_word_start_only(store: IndicatorStore) -> None:
    assert "ATT-06" not in ids(message(subject="Аналогичный отчёт и судьба проекта"), store)
    assert "ATT-06" in ids(message(subject="Налоговая: повестка в суд"), store)
