#!/usr/bin/env python3
"""Write each entry's cause families (scripts/catalog/families.tsv) into its front matter as
`families = [...]`, replacing any `families` line it had. Run after generate.py (which calls it).

    python3 scripts/catalog/families.py
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(os.path.dirname(os.path.dirname(HERE)), "src", "explain", "catalog")


# Every cause family, with the cause in a sentence: the vocabulary entries declare in `families`.
FAMILIES = [
    ("native-library-not-loaded", "A native library or the native half of a wrapper is not in the running build or not on the load path."),
    ("native-library-not-linked", "The build cannot find or link the native SDK (pods, frameworks, Gradle, linker)."),
    ("native-module-abi-mismatch", "A native addon or library built for another Node/Electron ABI or CPU architecture."),
    ("sdk-included-twice", "Two copies of the SDK (or of one of its libraries) in one app."),
    ("sdk-build-platform-mismatch", "The SDK build for another platform (the web build in a mini program)."),
    ("unsupported-platform", "The SDK or wrapper has no build for this OS, architecture or target."),
    ("api-changed-between-versions", "Code written for another major version of the SDK or builder than the one installed."),
    ("ssr-no-window", "A browser-only SDK evaluated where there is no browser (server-side rendering, tests)."),
    ("no-secure-context", "The page is not https or localhost, so the browser hides the media APIs."),
    ("autoplay-blocked", "The browser's autoplay policy waits for a user gesture (media play(), AudioContext)."),
    ("media-permission-denied", "The user, the OS or the embedding app refused camera or microphone access."),
    ("iframe-permission-policy", "An iframe or a Permissions-Policy header does not delegate camera or microphone."),
    ("device-in-use", "The device was granted but could not be opened (held by another app, driver fault)."),
    ("device-not-found", "No camera or microphone matches the request."),
    ("constraints-unsatisfiable", "No device can meet the requested capture constraints."),
    ("screen-share-unsupported", "The browser or webview has no getDisplayMedia."),
    ("mic-permission-missing", "Android RECORD_AUDIO not granted at run time."),
    ("ios-usage-description-missing", "An NS...UsageDescription key missing from Info.plist."),
    ("bluetooth-connect-permission", "Android 12+ BLUETOOTH_CONNECT not requested at run time."),
    ("foreground-service-permission", "Android 14 microphone foreground service without its permission, type or grant."),
    ("builder-credentials-unset", "A token builder or server ran without App ID or certificate."),
    ("service-not-enabled", "The product or service is not enabled for the project or region."),
    ("chat-user-not-found", "The Chat user was never registered in the app."),
    ("play-element-missing", "The element given to play() does not exist."),
    ("publish-before-join", "publish called before join succeeded."),
    ("publish-before-init", "publish called before the local stream or track was ready."),
    ("not-in-channel", "A call that needs the channel made when not in it (before join, after leave)."),
    ("dns-resolution-failed", "Agora's host names do not resolve from this network."),
    ("media-connection-blocked", "The media connection (ICE/DTLS over UDP) is blocked by a firewall, VPN, extension or codec."),
    ("ice-candidate-missing", "No ICE candidate could be gathered."),
    ("devtools-mobile-emulation", "The page ran under the browser's mobile-device emulation."),
]


def load():
    out = {}
    with open(os.path.join(HERE, "families.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, fams = line.split("\t")
            out.setdefault(key, [])
            out[key] += [x.strip() for x in fams.split(",") if x.strip()]
    return out


def apply():
    fams = load()
    missing = []
    for key, families in fams.items():
        path = os.path.join(CATALOG, key + ".md")
        if not os.path.exists(path):
            missing.append(key)
            continue
        text = open(path, encoding="utf-8").read()
        end = text.index("\n+++\n", 4)
        head = [l for l in text[4:end].split("\n") if not l.startswith("families = ")]
        head.append("families = [" + ", ".join('"' + f + '"' for f in families) + "]")
        new = "+++\n" + "\n".join(head) + text[end:]
        if new != text:
            open(path, "w", encoding="utf-8").write(new)
    if missing:
        raise SystemExit("families.tsv names keys with no entry: " + ", ".join(missing))
    known = {f for f, _ in FAMILIES}
    unknown = sorted({f for fs in fams.values() for f in fs} - known)
    if unknown:
        raise SystemExit("families.tsv uses families not in FAMILIES: " + ", ".join(unknown))


def doc_lines():
    """The families section of docs/error-sources.md: each family, its cause and the entries declaring it."""
    declared = {}
    for f in sorted(os.listdir(CATALOG)):
        text = open(os.path.join(CATALOG, f), encoding="utf-8").read()
        head = text[4:text.index("\n+++\n", 4)]
        for line in head.split("\n"):
            if line.startswith("families = "):
                for fam in line[len("families = "):].strip("[]").split(","):
                    fam = fam.strip().strip('"')
                    if fam:
                        declared.setdefault(fam, []).append(f[:-3])
    out = [
        "### Platform families",
        "",
        "Causes without an error code of their own, which entries declare in `families` (`scripts/catalog/families.tsv`",
        "for the tables' entries, the front matter of hand-written ones). The tidy test holds that every family an entry",
        "declares is listed here and every family listed here has an entry.",
        "",
        "| family | cause | entries |",
        "|---|---|---|",
    ]
    for fam, cause in FAMILIES:
        keys = ", ".join("`" + k + "`" for k in declared.get(fam, []))
        out.append(f"| `{fam}` | {cause} | {keys} |")
    out.append("")
    return out


if __name__ == "__main__":
    apply()
