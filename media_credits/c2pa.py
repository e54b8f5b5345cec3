"""C2PA content credentials: reading an upload's manifest store, signing our renditions.

Built on the reference SDK's Python binding (`c2pa-python`, native library in the wheel);
nothing here touches the database (settings are read only by the three helpers that say so,
so the bench signs without Django). services.py reads on ingest and hands a RenditionSigner to
renditions.py, which signs each rendition after its XMP packet is embedded (signing first and
writing XMP after breaks the hard binding: `assertion.dataHash.mismatch`).
Spec: https://c2pa.org/specifications/specifications/2.2/specs/C2PA_Specification.html
SDK: https://github.com/contentauth/c2pa-python (0.38: Reader, Builder, Signer, Context).
"""

from __future__ import annotations

import datetime
import io
import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import c2pa as sdk
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

logger = logging.getLogger(__name__)

# The formats we read and sign, by Pillow's format name; the SDK supports all four
# (Reader.get_supported_mime_types()). GIF is read too; we never make GIF renditions.
MIME_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
    "GIF": "image/gif",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "png": "image/png",
    "avif": "image/avif",
}
CLAIM_GENERATOR = {"name": "newsroom", "version": "0.1.0"}

VALID = "Valid"
INVALID = "Invalid"
TRUSTED = "Trusted"
UNTRUSTED_CODE = "signingCredential.untrusted"
TRUSTED_CODE = "signingCredential.trusted"


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """What an upload's manifest store says, as plain data (stored on the image as JSON)."""

    present: bool = False
    state: str = ""  # the SDK's validation state: Valid, Invalid or Trusted; "" without one
    failures: list[str] = field(default_factory=list)  # e.g. assertion.dataHash.mismatch
    trusted: bool = False
    signer: str = ""
    issuer: str = ""
    claim_generator: str = ""
    signed_at: str = ""  # only with a timestamp authority; "" otherwise
    actions: list[dict[str, str]] = field(default_factory=list)
    ingredients: list[str] = field(default_factory=list)
    error: str = ""  # the store could not be read at all

    @property
    def valid(self) -> bool:
        return self.state in (VALID, TRUSTED)

    @property
    def digital_source_type(self) -> str:
        """The source type the manifest's actions state (the first one that has one)."""
        return next((a["digitalSourceType"] for a in self.actions if a["digitalSourceType"]), "")

    @property
    def ai_generated(self) -> bool:
        return any(a["digitalSourceType"] in _ai_source_types() for a in self.actions)

    @property
    def ai_system(self) -> str:
        """The software agent of the action that made the image with AI."""
        ai_source_types = _ai_source_types()
        for action in self.actions:
            if action["digitalSourceType"] in ai_source_types and action["softwareAgent"]:
                return action["softwareAgent"]
        return ""

    def prefill(self) -> dict[str, str]:
        """Image fields the manifest fills when the desk left them empty."""
        values = {}
        if self.digital_source_type:
            values["digital_source_type"] = self.digital_source_type
        if self.ai_system:
            values["ai_system"] = self.ai_system
        return values

    def as_data(self) -> dict[str, Any]:
        if not self.present:
            return {}
        return {
            "state": self.state,
            "failures": list(self.failures),
            "trusted": self.trusted,
            "signer": self.signer,
            "issuer": self.issuer,
            "claim_generator": self.claim_generator,
            "signed_at": self.signed_at,
            "actions": [dict(a) for a in self.actions],
            "ingredients": list(self.ingredients),
            "error": self.error,
        }


def _ai_source_types() -> frozenset[str]:
    # Imported here: the models package needs configured settings, and the signing half of
    # this module (renditions, the bench) runs without Django.
    from media_credits.models.sources import AI_SOURCE_TYPES

    return AI_SOURCE_TYPES


def _reader_context(trust_anchors: str) -> sdk.Context:
    # Trust settings: https://opensource.contentauthenticity.org/docs/manifest/json-ref/settings
    # Without anchors the SDK still validates and reports signingCredential.untrusted.
    config: dict[str, Any] = {"verify": {"verify_trust": True}}
    if trust_anchors:
        config["trust"] = {"trust_anchors": trust_anchors}
    return sdk.Context.from_dict(config)


def read(data: bytes, image_format: str, *, trust_anchors: str = "") -> Credentials:
    """Read and validate the manifest store in `data` (the upload's bytes, untouched)."""
    mime = MIME_TYPES.get(image_format)
    if mime is None:
        return Credentials()
    try:
        with _reader_context(trust_anchors) as context:
            reader = sdk.Reader(mime, io.BytesIO(data), None, context)
            with reader:
                store = json.loads(reader.json())
    except sdk.C2paError.ManifestNotFound:
        return Credentials()
    except sdk.C2paError as exc:
        # A store we cannot parse is still a store: say so rather than "none".
        logger.info("C2PA manifest store unreadable: %s", exc)
        return Credentials(present=True, state=INVALID, error=str(exc)[:300])
    return credentials_from_store(store)


def credentials_from_store(store: dict[str, Any]) -> Credentials:
    manifest = store.get("manifests", {}).get(store.get("active_manifest") or "", {})
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [item.get("code", "") for item in results.get("failure", [])]
    if not results:
        failures = [item.get("code", "") for item in store.get("validation_status") or []]
    successes = {item.get("code") for item in results.get("success", [])}
    state = store.get("validation_state") or (INVALID if failures else VALID)
    signature = manifest.get("signature_info") or {}
    return Credentials(
        present=True,
        state=state,
        failures=failures,
        trusted=state == TRUSTED or TRUSTED_CODE in successes,
        signer=str(signature.get("common_name") or ""),
        issuer=str(signature.get("issuer") or ""),
        claim_generator=_claim_generator(manifest),
        signed_at=str(signature.get("time") or ""),
        actions=_actions(manifest),
        ingredients=[str(i.get("title") or "") for i in manifest.get("ingredients") or []],
    )


def _claim_generator(manifest: dict[str, Any]) -> str:
    info = manifest.get("claim_generator_info") or []
    if info:
        first = info[0]
        return " ".join(str(p) for p in (first.get("name"), first.get("version")) if p)
    return str(manifest.get("claim_generator") or "")


def _actions(manifest: dict[str, Any]) -> list[dict[str, str]]:
    found = []
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            agent = action.get("softwareAgent") or ""
            if isinstance(agent, dict):
                agent = " ".join(str(p) for p in (agent.get("name"), agent.get("version")) if p)
            found.append(
                {
                    "action": str(action.get("action") or ""),
                    "digitalSourceType": str(action.get("digitalSourceType") or ""),
                    "softwareAgent": str(agent),
                }
            )
    return found


# --- Signing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningCredentials:
    """An ES256 certificate chain (leaf first, PEM) and its private key (PEM)."""

    chain_pem: bytes
    key_pem: bytes


def load_signing_credentials(cert_path: str, key_path: str) -> SigningCredentials | None:
    """The configured certificate and key, or None when either is not set."""
    if not cert_path or not key_path:
        return None
    return _load(str(cert_path), str(key_path))


@lru_cache(maxsize=4)
def _load(cert_path: str, key_path: str) -> SigningCredentials:
    return SigningCredentials(Path(cert_path).read_bytes(), Path(key_path).read_bytes())


def load_trust_anchors(path: str) -> str:
    return Path(path).read_text() if path else ""


def configured_trust_anchors() -> str:
    """The PEM bundle at NEWSROOM_C2PA_TRUST_ANCHORS ("" when unset: no trust list)."""
    return load_trust_anchors(settings.NEWSROOM_C2PA_TRUST_ANCHORS)


def signing_configured() -> bool:
    return bool(settings.NEWSROOM_C2PA_CERT and settings.NEWSROOM_C2PA_KEY)


def rendition_signer(image, original: bytes) -> RenditionSigner | None:
    """A signer for the renditions of `image` (an Image row) when NEWSROOM_C2PA_CERT and
    NEWSROOM_C2PA_KEY are set, else None."""
    credentials = load_signing_credentials(settings.NEWSROOM_C2PA_CERT, settings.NEWSROOM_C2PA_KEY)
    if credentials is None:
        return None
    return RenditionSigner(
        credentials=credentials,
        original=original,
        original_format=image.format,
        original_title=image.original_filename or Path(image.original.name).name,
        digital_source_type=image.digital_source_type,
    )


@dataclass
class RenditionSigner:
    """Signs every rendition of one original: a manifest with the original as its parent
    ingredient (carrying the original's own manifest when it has one) and the actions
    c2pa.opened, c2pa.resized and c2pa.converted."""

    credentials: SigningCredentials
    original: bytes
    original_format: str  # Pillow's name: JPEG, PNG, WEBP, AVIF, GIF
    original_title: str
    digital_source_type: str
    _signer: Any = field(default=None, init=False, repr=False)

    def sign(self, content: bytes, rendition_format: str, *, title: str, converted: bool) -> bytes:
        if self._signer is None:
            self._signer = sdk.Signer.from_info(
                sdk.C2paSignerInfo(
                    b"es256", self.credentials.chain_pem, self.credentials.key_pem, None
                )
            )
        opened: dict[str, Any] = {
            "action": "c2pa.opened",
            "parameters": {"ingredientIds": ["original"]},
        }
        if self.digital_source_type:
            opened["digitalSourceType"] = self.digital_source_type
        agent = {"name": CLAIM_GENERATOR["name"]}
        actions = [opened, {"action": "c2pa.resized", "softwareAgent": agent}]
        if converted:
            actions.append({"action": "c2pa.converted", "softwareAgent": agent})
        manifest = {
            "claim_generator_info": [CLAIM_GENERATOR],
            "title": title,
            "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
        }
        # A rendition is its own preview: no embedded thumbnail (it would double the file).
        with sdk.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}}) as context:
            builder = sdk.Builder(manifest, context)
            builder.add_ingredient(
                {"title": self.original_title, "relationship": "parentOf", "label": "original"},
                MIME_TYPES[self.original_format],
                io.BytesIO(self.original),
            )
            out = io.BytesIO()
            builder.sign(self._signer, MIME_TYPES[rendition_format], io.BytesIO(content), out)
        return out.getvalue()

    def close(self) -> None:
        if self._signer is not None:
            self._signer.close()
            self._signer = None


# --- A throwaway CA, for the demo and the tests --------------------------------------------------


def throwaway_signing_chain(
    *, organisation: str = "newsroom", common_name: str = "newsroom desk"
) -> tuple[bytes, bytes, bytes]:
    """A fresh ES256 CA and leaf: (leaf + CA chain PEM, leaf key PEM, CA PEM).

    The leaf has what the SDK's certificate profile checks: not a CA, digitalSignature,
    the emailProtection EKU, issued by a separate CA (a self-signed leaf is refused).
    """
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} throwaway CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return leaf.public_bytes(serialization.Encoding.PEM) + ca_pem, key_pem, ca_pem


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
