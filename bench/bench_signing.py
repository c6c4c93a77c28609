"""Signatures per second for a one-page result, and what signing adds to a leader's approval.

Throwaway PKI and, where SoftHSM2 is installed, a token shaped like a Vietnamese CA's; the
demo's in-process timestamp authority (B-T: one timestamp per signature, no network).

* **sign, PKCS#12 / PKCS#11**: a one-page A4 result, visible signature drawn by Typst with
  the leader's blue signature and the red seal, PAdES B-T: the whole of service.sign_pdf;
* baselines in the same run: the appearance alone (Typst), the RSA-2048 signature alone
  (`cryptography`), a signature without appearance, one without timestamp (B-B: the demo's
  timestamp authority parses its RSA key for every token, pyHanko's DummyTimeStamper, ~60 ms
  twice; a deployment's authority answers over the network instead);
* **approval**: `approve` on dossiers waiting for the leader, each with a one-page result PDF,
  with the agency's PKCS#12 result key and without any key (same run, same database);
* **scanning a 20-page component** (a PDF of 20 colour A4 pages at 200 dpi, as a scanner's
  feeder makes it): the checks (resolution and colour of every page), and the whole electronic
  copy (checks, seal "SAO Y", B-T); baseline: reading the file's pages with pypdf.
"""

import os
import statistics
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from motcua.dossiers.attachments import attach_file
from motcua.dossiers.intake import Intake, receive_dossier
from motcua.dossiers.processing import approve, complete_step, hand_over
from motcua.signing import appearance as looks
from motcua.signing import backends, images, pki, service, softhsm
from motcua.signing.backends import Backend
from motcua.signing.models import SignatureImage, SigningKey

from .bench_lifecycle import APPLICANT, _world
from .scratch import scratch_database

ROUNDS = 30
APPROVALS = 20


def _result_pdf() -> bytes:
    import typst

    from motcua.documents.rendering import fonts

    source = (
        '#set page(paper: "a4")\n#set text(font: "Liberation Serif", lang: "vi")\n'
        "= Phiếu lý lịch tư pháp số 1\nNội dung kết quả giải quyết thủ tục hành chính."
    )
    return typst.compile(source.encode(), font_paths=fonts(), format="pdf")


def _times(action, rounds: int = ROUNDS) -> list[float]:
    action()  # warm: fonts, the token's session, the module
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        out.append(time.perf_counter() - started)
    return out


def _line(label: str, times: list[float]) -> str:
    median = statistics.median(times)
    return f"   {label:<48} {1 / median:7.1f}/s   median {median * 1000:6.1f} ms"


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-signing-") as folder_name:
        folder = Path(folder_name)
        issued = pki.make()
        pki.write(issued, folder, b"bench")
        os.environ["MOTCUA_BENCH_SECRET"] = "bench"
        with override_settings(MOTCUA_DEMO_PKI=str(folder), MOTCUA_SIGNING_TSA_URL=""):
            _signatures(folder, issued)
            with scratch_database("motcua-bench-approval-") as where:
                _approvals(folder, where)
            _scanning(folder)


def _signatures(folder: Path, issued: pki.DemoPki) -> None:
    pdf = _result_pdf()
    look = looks.Appearance(
        looks.Kind.PERSON,
        title="GIÁM ĐỐC",
        name="Hoàng Minh Đức",
        signature_png=images.recolour(images.demo_image("signature"), images.BLUE),
        seal_png=images.recolour(
            images.demo_image("seal", top="UBND TỈNH HÀ TĨNH", middle="", bottom="SỞ TƯ PHÁP"),
            images.RED,
        ),
    )
    p12 = backends.KeySpec(
        Backend.PKCS12, pkcs12_path=str(folder / "seal.p12"), secret_env="MOTCUA_BENCH_SECRET"
    )
    print("   one-page A4 result, PAdES B-T (in-process timestamp authority)")
    with backends.open_signer(p12) as signer:
        print(_line("sign, PKCS#12, visible signature", _times(
            lambda: service.sign_pdf(pdf, signer=signer, look=look))))  # fmt: skip
        print(_line("sign, PKCS#12, no appearance", _times(
            lambda: service.sign_pdf(pdf, signer=signer, look=None))))  # fmt: skip
        with override_settings(MOTCUA_DEMO_PKI=""):  # no timestamp authority: B-B
            print(_line("sign, PKCS#12, visible, no timestamp (B-B)", _times(
                lambda: service.sign_pdf(pdf, signer=signer, look=look))))  # fmt: skip
    if softhsm.available():
        conf = softhsm.create_token(
            folder / "softhsm", label="bench", pin="1234", so_pin="12345678",
            key_pem=issued.seal.key_pem, cert_der=issued.seal.der,
        )  # fmt: skip
        softhsm.use_conf(conf)
        os.environ["MOTCUA_BENCH_PIN"] = "1234"
        hsm = backends.KeySpec(
            Backend.PKCS11, module=softhsm.module_path() or "", token_label="bench",
            key_id="01", secret_env="MOTCUA_BENCH_PIN",
        )  # fmt: skip

        def with_token() -> None:
            with backends.open_signer(hsm) as signer:  # a session per signature, as deployed
                service.sign_pdf(pdf, signer=signer, look=look)

        print(_line("sign, PKCS#11 (SoftHSM2), visible signature", _times(with_token)))
    else:
        print("   sign, PKCS#11: SoftHSM2 is not installed (scripts/ensure-tools)")
    print("   baselines, same run:")
    print(_line("the appearance alone (Typst)", _times(lambda: looks.render(look, looks_now()))))
    key = issued.seal.key
    print(_line("an RSA-2048 signature alone", _times(
        lambda: key.sign(b"x" * 64, padding.PKCS1v15(), hashes.SHA256()), 200)))  # fmt: skip


def looks_now():
    from django.utils import timezone

    return timezone.now()


def _approvals(folder: Path, where: str) -> None:
    world = _world()
    agency, leader = world["agency"], world["leader"]
    SignatureImage.objects.create(
        agency=agency,
        kind=SignatureImage.Kind.SIGNATURE,
        official=leader,
        title="GIÁM ĐỐC",
        png=images.recolour(images.demo_image("signature"), images.BLUE),
    )
    pdf = _result_pdf()
    intake = Intake(world["procedure"], agency, APPLICANT)

    def waiting() -> list:
        dossiers = []
        for _ in range(APPROVALS):
            dossier = receive_dossier(intake, actor=world["clerk"])
            hand_over(dossier, actor=world["clerk"])
            for actor in (world["specialist"], world["head"], world["specialist"]):
                complete_step(dossier, actor=actor)
            attach_file(
                dossier,
                actor=world["specialist"],
                upload=SimpleUploadedFile("ket-qua.pdf", pdf),
                kind="result",
            )
            dossiers.append(dossier)
        return dossiers

    def timed(dossiers) -> list[float]:
        out = []
        for dossier in dossiers:
            started = time.perf_counter()
            approve(dossier, actor=leader)
            out.append(time.perf_counter() - started)
        return out

    unsigned = timed(waiting())
    SigningKey.objects.create(
        agency=agency,
        purpose=SigningKey.Purpose.RESULT,
        backend=Backend.PKCS12,
        name="bench",
        pkcs12_path=str(folder / "seal.p12"),
        secret_env="MOTCUA_BENCH_SECRET",
    )
    signed = timed(waiting())
    print(f"   approval of a dossier with a one-page result ({where}, {APPROVALS} each)")
    print(_line("approve, no result key (baseline)", unsigned))
    print(_line("approve and sign (PKCS#12, B-T, kept, validated)", signed))
    added = statistics.median(signed) - statistics.median(unsigned)
    print(f"   signing adds {added * 1000:.0f} ms to the approval (median)")


def _twenty_pages() -> bytes:
    import io

    from PIL import Image

    from motcua.testing.files import scan_jpeg

    pages = [Image.open(io.BytesIO(scan_jpeg(200))) for _ in range(20)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    return buffer.getvalue()


def _scanning(folder: Path) -> None:
    import io

    from pypdf import PdfReader

    from motcua.registry import quality

    pdf = _twenty_pages()
    p12 = backends.KeySpec(
        Backend.PKCS12, pkcs12_path=str(folder / "seal.p12"), secret_env="MOTCUA_BENCH_SECRET"
    )
    copy = looks.Appearance(looks.Kind.COPY, organisation="UBND phường Thành Sen")

    def whole() -> None:
        judged = quality.judge(pdf, "application/pdf")
        quality.check(judged)
        with backends.open_signer(p12) as signer:
            service.sign_pdf(pdf, signer=signer, look=copy)

    print(f"   a 20-page colour scan at 200 dpi ({len(pdf) / 2**20:.1f} MB PDF)")
    print(_line("read its pages (pypdf, baseline)", _times(
        lambda: [p.mediabox for p in PdfReader(io.BytesIO(pdf)).pages], 10)))  # fmt: skip
    print(_line("check resolution and colour of every page", _times(
        lambda: quality.judge(pdf, "application/pdf"), 10)))  # fmt: skip
    print(_line("the whole electronic copy (checks, SAO Y, B-T)", _times(whole, 10)))
