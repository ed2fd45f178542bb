"""“定制时间为入职至今”: the hiring date is a fact of the past — `applicant.hired_on` after the
reference date is an error in the manifest (CJ401, naming the field and its line)."""

from tests.packets import check, codes, findings, youth_packet

YOUTH = "category: youth\nas_of: 2023-08-31\napplicant:\n  hired_on: {hired_on}\n"


def test_ruzhi_zhijin_a_hiring_date_after_the_reference_date_is_a_manifest_error(tmp_path):
    report = check(youth_packet(tmp_path, manifest=YOUTH.format(hired_on="2023-09-01")))
    (f,) = findings(report, "CJ401")
    assert f.severity == "error" and f.line == 4
    assert "applicant.hired_on" in f.message.zh and "2023-09-01" in f.message.zh
    assert report.fatal is None and report.exit_code == 1  # the rest of the packet is still checked


def test_ruzhi_zhijin_near_miss_hired_on_the_reference_date_itself_is_fine(tmp_path):
    assert "CJ401" not in codes(check(youth_packet(tmp_path, manifest=YOUTH.format(hired_on="2023-08-31"))))
