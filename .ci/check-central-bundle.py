#!/usr/bin/env python3
"""Checks a Maven Central bundle (the zip `./mvnw -Prelease deploy` writes) as the Central
Portal validates a deployment, before anyone uploads it:

- exactly the artifacts we publish are in it (a new module is published on purpose, never by
  accident; the CLI, the benchmarks and the consumer check never are), all in one release
  version (no -SNAPSHOT: the Portal refuses those);
- every POM states name, description, url, licenses (name and url), developers and scm (url and
  connection), itself or through its parent in the bundle (name and description: itself);
- a jar-packaged artifact has its jar, -sources jar and -javadoc jar; a pom-packaged one its POM;
- every file has a .asc signature that gpg verifies with the given public key, and .md5 and
  .sha1 checksums (and .sha256/.sha512 when present) that match its bytes;
- the sources and javadoc jars are not empty shells.

Usage: check-central-bundle.py BUNDLE.zip --version 0.1.0 --public-key KEY.asc
Exit code 0 when all holds; otherwise each problem on a line of its own, and exit code 1.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
import zipfile

GROUP_PATH = "com/mka1"
# artifactId -> packaging: what a release publishes (README, "Releasing").
PUBLISHED = {
    "mka1-batches-parent": "pom",
    "mka1-batches-bom": "pom",
    "mka1-batches-generated": "jar",
    "mka1-batches": "jar",
    "mka1-batches-sandbox": "jar",
    "mka1-batches-sandbox-junit": "jar",
    "mka1-batches-micrometer": "jar",
    "mka1-batches-spring-boot-starter": "jar",
}
CHECKSUMS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256,
             "sha512": hashlib.sha512}
REQUIRED_CHECKSUMS = ("md5", "sha1")
NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def text(element, path):
    found = element.find(path, NS)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


class Bundle:
    def __init__(self, root, version, gnupg_home):
        self.root = root
        self.version = version
        self.gnupg_home = gnupg_home
        self.problems = []
        self.poms = {}

    def problem(self, message):
        self.problems.append(message)

    def check(self):
        if self.version.endswith("-SNAPSHOT"):
            self.problem(f"{self.version} is a snapshot version: the Portal refuses snapshots in a bundle")
        group_dir = os.path.join(self.root, GROUP_PATH)
        found = sorted(os.listdir(group_dir)) if os.path.isdir(group_dir) else []
        for artifact in sorted(set(found) - set(PUBLISHED)):
            self.problem(f"{artifact}: in the bundle but not published (add it to PUBLISHED on purpose)")
        for artifact in sorted(set(PUBLISHED) - set(found)):
            self.problem(f"{artifact}: missing from the bundle")
        self.check_layout()
        for artifact in sorted(set(found) & set(PUBLISHED)):
            self.check_artifact(artifact, PUBLISHED[artifact])

    def check_layout(self):
        for directory, _, files in os.walk(self.root):
            relative = os.path.relpath(directory, self.root)
            for name in files:
                path = os.path.join(relative, name)
                if not path.startswith(GROUP_PATH + "/"):
                    self.problem(f"{path}: outside {GROUP_PATH}/")
                elif "maven-metadata" in name:
                    self.problem(f"{path}: repository metadata has no place in a bundle")

    def check_artifact(self, artifact, packaging):
        base = os.path.join(self.root, GROUP_PATH, artifact)
        versions = sorted(os.listdir(base))
        if versions != [self.version]:
            self.problem(f"{artifact}: versions {versions}, expected only {self.version}")
            return
        directory = os.path.join(base, self.version)
        prefix = f"{artifact}-{self.version}"
        required = [f"{prefix}.pom"]
        if packaging == "jar":
            required += [f"{prefix}.jar", f"{prefix}-sources.jar", f"{prefix}-javadoc.jar"]
        files = set(os.listdir(directory))
        for name in required:
            if name not in files:
                self.problem(f"{artifact}: {name} is missing")
        primary = sorted(n for n in files if not n.endswith((".asc",) + tuple("." + c for c in CHECKSUMS)))
        for name in primary:
            self.check_file(artifact, directory, name, files)
        if f"{prefix}.pom" in files:
            self.check_pom(artifact, os.path.join(directory, f"{prefix}.pom"), packaging)
        for name, wanted in ((f"{prefix}-sources.jar", ".java"), (f"{prefix}-javadoc.jar", "index.html")):
            if name in files:
                with zipfile.ZipFile(os.path.join(directory, name)) as jar:
                    if not any(entry.endswith(wanted) for entry in jar.namelist()):
                        self.problem(f"{artifact}: {name} has no {wanted}")

    def check_file(self, artifact, directory, name, files):
        path = os.path.join(directory, name)
        with open(path, "rb") as f:
            content = f.read()
        for algorithm, digest in CHECKSUMS.items():
            checksum_name = f"{name}.{algorithm}"
            if checksum_name not in files:
                if algorithm in REQUIRED_CHECKSUMS:
                    self.problem(f"{artifact}: {checksum_name} is missing")
                continue
            with open(os.path.join(directory, checksum_name), encoding="ascii") as f:
                recorded = f.read().split()
            if not recorded or recorded[0].lower() != digest(content).hexdigest():
                self.problem(f"{artifact}: {checksum_name} does not match {name}")
        if f"{name}.asc" not in files:
            self.problem(f"{artifact}: {name}.asc is missing")
            return
        verify = subprocess.run(
            ["gpg", "--batch", "--homedir", self.gnupg_home, "--verify", path + ".asc", path],
            capture_output=True, text=True)
        if verify.returncode != 0:
            reason = verify.stderr.strip().splitlines()[-1:] or ["gpg failed"]
            self.problem(f"{artifact}: {name}.asc does not verify: {reason[0]}")

    def check_pom(self, artifact, path, packaging):
        pom = ElementTree.parse(path).getroot()
        self.poms[artifact] = pom
        if text(pom, "m:artifactId") != artifact:
            self.problem(f"{artifact}: its POM names artifactId {text(pom, 'm:artifactId')}")
        version = text(pom, "m:version") or text(pom, "m:parent/m:version")
        if version != self.version:
            self.problem(f"{artifact}: its POM has version {version}")
        if (text(pom, "m:packaging") or "jar") != packaging:
            self.problem(f"{artifact}: packaging {text(pom, 'm:packaging')}, expected {packaging}")
        for field in ("name", "description"):
            if not text(pom, f"m:{field}"):
                self.problem(f"{artifact}: the POM has no <{field}>")
        chain = self.pom_chain(pom)
        for label, paths in (("url", ["m:url"]),
                             ("licenses", ["m:licenses/m:license/m:name", "m:licenses/m:license/m:url"]),
                             ("developers", ["m:developers/m:developer/m:name"]),
                             ("scm", ["m:scm/m:url", "m:scm/m:connection"])):
            for field in paths:
                if not any(text(p, field) for p in chain):
                    self.problem(f"{artifact}: no {field.replace('m:', '')} in its POM or its parent's ({label})")

    def pom_chain(self, pom):
        """The POM, then its parents as far as the bundle has them (their metadata is inherited)."""
        chain = [pom]
        parent = text(pom, "m:parent/m:artifactId")
        while parent:
            path = os.path.join(self.root, GROUP_PATH, parent, self.version, f"{parent}-{self.version}.pom")
            if not os.path.exists(path):
                self.problem(f"{text(pom, 'm:artifactId')}: its parent {parent} is not in the bundle")
                break
            parent_pom = ElementTree.parse(path).getroot()
            chain.append(parent_pom)
            parent = text(parent_pom, "m:parent/m:artifactId")
        return chain


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle")
    parser.add_argument("--version", required=True)
    parser.add_argument("--public-key", required=True)
    args = parser.parse_args()
    if not os.path.isfile(args.bundle):
        print(f"{args.bundle}: no bundle. It is written by the deploy phase of `./mvnw -Prelease deploy`, "
              "whose publish goal Maven skips when offline (-o)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        gnupg_home = os.path.join(work, "gnupg")
        os.mkdir(gnupg_home, 0o700)
        subprocess.run(["gpg", "--batch", "--quiet", "--homedir", gnupg_home, "--import", args.public_key],
                       check=True, capture_output=True)
        root = os.path.join(work, "bundle")
        with zipfile.ZipFile(args.bundle) as bundle:
            bundle.extractall(root)
        checked = Bundle(root, args.version, gnupg_home)
        checked.check()
        subprocess.run(["gpgconf", "--homedir", gnupg_home, "--kill", "gpg-agent"], capture_output=True)
    if checked.problems:
        print(f"{args.bundle}: {len(checked.problems)} problem(s):", file=sys.stderr)
        for problem in checked.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"ok: {args.bundle}: {len(PUBLISHED)} artifacts at {args.version}, each signed, checksummed and "
          f"with the POM metadata, sources and javadoc Central requires")
    return 0


if __name__ == "__main__":
    sys.exit(main())
