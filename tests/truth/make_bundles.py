#!/usr/bin/env python3
"""Writes the bundles of the truth corpus (tests/truth/NN-*/ except expected.toml, which is written by hand).

SYNTHETIC: every bundle is made up (host names, product IDs, SIDs, addresses, dates), modelled on the real formats of
the examples and fixtures (crates/inventory/tests/fixtures/bundle/make_fixtures.py, whose writers are reused, and the
systeminfo fixtures). Every KB comes from data/servicing/ws2008-sp2-updates.csv or the MSRC table, every kernel
version is that csv's build_after for the month. Run from anywhere; the output is byte-identical on every run:

    python3 tests/truth/make_bundles.py
"""
import csv, datetime, importlib.util, os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
MF_PATH = os.path.join(REPO, "crates", "inventory", "tests", "fixtures", "bundle", "make_fixtures.py")
spec = importlib.util.spec_from_file_location("make_fixtures", MF_PATH)
mf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mf)
crlf, utf16, oem, filetime_hex, label, wmic_list, systeminfo_csv = (
    mf.crlf, mf.utf16, mf.oem, mf.filetime_hex, mf.label, mf.wmic_list, mf.systeminfo_csv)

REL = {}
for r in csv.DictReader(open(os.path.join(REPO, "data", "servicing", "ws2008-sp2-updates.csv"))):
    REL[r["kb"]] = r["release_date"]
# SP1-era / pre-2018 KBs: first MSRC DatePosted (data/msrc), only for install dates in qfe.
EXTRA_REL = {"KB975517": "2009-10-13", "KB2347290": "2010-09-14", "KB2286198": "2010-08-02",
             "KB4012598": "2017-03-14", "KB4018466": "2017-05-09"}
FIXED_INSTALL = {"KB4538484": "2020-02-14", "KB5004955": "2021-07-10", "KB5004959": "2021-07-10"}


def install_date(kb):
    """A synthetic install date: four days after release; SHA-2-only updates of July/August 2019 after KB4474419."""
    if kb in FIXED_INSTALL:
        d = FIXED_INSTALL[kb]
    else:
        d = REL.get(kb) or EXTRA_REL[kb]
        dt = datetime.date.fromisoformat(d) + datetime.timedelta(days=4)
        if datetime.date(2019, 7, 1) <= datetime.date.fromisoformat(d) < datetime.date(2019, 9, 10):
            dt = datetime.date(2019, 9, 15)
        d = dt.isoformat()
    y, m, dd = map(int, d.split("-"))
    return (y, m, dd)


def hotfix_lines_en(hot):
    """hot: ('list', [kbs]) | ('na',) | ('count', n) | ('cut', declared, [kbs shown], 'cut text')."""
    kind = hot[0]
    if kind == "list":
        out = [label("Hotfix(s)", "%d Hotfix(s) Installed." % len(hot[1]))]
        out += [" " * 27 + "[%02d]: %s" % (i, kb) for i, kb in enumerate(hot[1], 1)]
    elif kind == "na":
        out = [label("Hotfix(s)", "N/A")]
    elif kind == "count":
        out = [label("Hotfix(s)", "%d Hotfix(s) Installed." % hot[1])]
    elif kind == "cut":
        out = [label("Hotfix(s)", "%d Hotfix(s) Installed." % hot[1])]
        out += [" " * 27 + "[%02d]: %s" % (i, kb) for i, kb in enumerate(hot[2], 1)]
        out += [" " * 27 + hot[3]]
    return out


def systeminfo_en(host, os_name, version, arch_text, config, hot, install="3/14/2012, 9:12:44 AM",
                  boot="11/16/2026, 3:12:40 AM", product_id="92573-082-2500115-76417", domain="contoso.local",
                  org="", mem=("8,191 MB", "5,020 MB", "16,381 MB", "12,700 MB", "3,681 MB"),
                  processor="Intel64 Family 6 Model 85 Stepping 7 GenuineIntel ~2394 Mhz", ip="10.20.30.41",
                  vm_labels=False):
    """`systeminfo /fo list` of an en-US NT 6.0 box, as make_fixtures.systeminfo writes it, with the hotfix block
    given by `hot`. vm_labels=True uses the NT 6.1 'Virtual Memory:' labels (Windows 7 / 2008 R2 captures)."""
    pf = (["Virtual Memory: Max Size", "Virtual Memory: Available", "Virtual Memory: In Use"] if vm_labels
          else ["Page File: Max Size", "Page File: Available", "Page File: In Use"])
    lines = [
        "",
        label("Host Name", host),
        label("OS Name", os_name),
        label("OS Version", version),
        label("OS Manufacturer", "Microsoft Corporation"),
        label("OS Configuration", config),
        label("OS Build Type", "Multiprocessor Free"),
        label("Registered Owner", "Windows User"),
        label("Registered Organization", org),
        label("Product ID", product_id),
        label("Original Install Date", install),
        label("System Boot Time", boot),
        label("System Manufacturer", "VMware, Inc."),
        label("System Model", "VMware Virtual Platform"),
        label("System Type", arch_text),
        label("Processor(s)", "1 Processor(s) Installed."),
        " " * 27 + "[01]: " + processor,
        label("BIOS Version", "Phoenix Technologies LTD 6.00, 12/12/2018"),
        label("Windows Directory", "C:\\Windows"),
        label("System Directory", "C:\\Windows\\system32"),
        label("Boot Device", "\\Device\\HarddiskVolume1"),
        label("System Locale", "en-us;English (United States)"),
        label("Input Locale", "en-us;English (United States)"),
        label("Time Zone", "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"),
        label("Total Physical Memory", mem[0]),
        label("Available Physical Memory", mem[1]),
        label(pf[0], mem[2]),
        label(pf[1], mem[3]),
        label(pf[2], mem[4]),
        label("Page File Location(s)", "C:\\pagefile.sys"),
        label("Domain", domain),
        label("Logon Server", "\\\\DC01"),
    ]
    lines += hotfix_lines_en(hot)
    lines += [
        label("Network Card(s)", "1 NIC(s) Installed."),
        " " * 27 + "[01]: Intel(R) PRO/1000 MT Network Connection",
        " " * 33 + "Connection Name: Local Area Connection",
        " " * 33 + "DHCP Enabled:    No",
        " " * 33 + "IP address(es)",
        " " * 33 + "[01]: " + ip,
    ]
    return crlf(lines)


def systeminfo_de(host, os_name, version, config, kbs):
    """German labels (column 47) of the synthetic fixture 2008sp2_x64_de_cp850.txt (Windows 7 label set)."""
    def L(name, value):
        return (name + ":").ljust(47) + value
    pad = " " * 47
    lines = [
        "",
        L("Hostname", host),
        L("Betriebssystemname", os_name),
        L("Betriebssystemversion", version),
        L("Betriebssystemhersteller", "Microsoft Corporation"),
        L("Betriebssystemkonfiguration", config),
        L("Betriebssystem-Buildtyp", "Multiprocessor Free"),
        L("Registrierter Benutzer", "Windows-Benutzer"),
        L("Registrierte Organisation", "Beispiel Logistik GmbH"),
        L("Produkt-ID", "92516-083-1000043-70412"),
        L("Ursprüngliches Installationsdatum", "12.03.2013, 10:21:07"),
        L("Systemstartzeit", "19.06.2021, 04:12:55"),
        L("Systemhersteller", "VMware, Inc."),
        L("Systemmodell", "VMware Virtual Platform"),
        L("Systemtyp", "x64-based PC"),
        L("Prozessor(en)", "1 Prozessor(en) installiert."),
        pad + "[01]: Intel64 Family 6 Model 85 Stepping 7 GenuineIntel ~2394 MHz",
        L("BIOS-Version", "Phoenix Technologies LTD 6.00, 12.12.2018"),
        L("Windows-Verzeichnis", "C:\\Windows"),
        L("System-Verzeichnis", "C:\\Windows\\system32"),
        L("Startgerät", "\\Device\\HarddiskVolume1"),
        L("Systemgebietsschema", "de;Deutsch (Deutschland)"),
        L("Eingabegebietsschema", "de;Deutsch (Deutschland)"),
        L("Zeitzone", "(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien"),
        L("Gesamter physikalischer Speicher", "16.383 MB"),
        L("Verfügbarer physikalischer Speicher", "9.112 MB"),
        "Virtueller Arbeitsspeicher: Maximale Größe:    32.765 MB",
        "Virtueller Arbeitsspeicher: Verfügbar:         25.004 MB",
        "Virtueller Arbeitsspeicher: Zurzeit verwendet: 7.761 MB",
        L("Auslagerungsdateipfad(e)", "C:\\pagefile.sys"),
        L("Domäne", "beispiel.local"),
        L("Anmeldeserver", "\\\\DC01"),
        L("Hotfix(es)", "%d Hotfix(e) installiert." % len(kbs)),
    ]
    lines += [pad + "[%02d]: %s" % (i, kb) for i, kb in enumerate(kbs, 1)]
    lines += [
        L("Netzwerkkarte(n)", "1 Netzwerkadapter installiert."),
        pad + "[01]: Intel(R) PRO/1000 MT-Netzwerkverbindung",
        pad + "      Verbindungsname: LAN-Verbindung",
        pad + "      DHCP aktiviert:  Nein",
        pad + "      IP-Adresse(n)",
        pad + "      [01]: 10.40.1.12",
    ]
    return crlf(lines)


def systeminfo_fr(host, os_name, version, config, kbs):
    """French labels (column 44) of the synthetic fixture 2008sp2_x64_fr_cp850.txt (Windows 7 label set)."""
    nb = "\u00a0"
    def L(name, value):
        return (name + ":").ljust(44) + value
    pad = " " * 44
    lines = [
        "",
        L("Nom de l'hôte", host),
        L("Nom du système d'exploitation", os_name),
        L("Version du système", version),
        L("Fabricant du système d'exploitation", "Microsoft Corporation"),
        L("Configuration du système d'exploitation", config),
        L("Type de version du système d'exploitation", "Multiprocessor Free"),
        L("Propriétaire enregistré", "Utilisateur Windows"),
        L("Organisation enregistrée", ""),
        L("Identificateur de produit", "92573-082-2500115-70833"),
        L("Date d'installation originale", "04/02/2014, 14:05:51"),
        L("Heure de démarrage du système", "12/07/2021, 06:31:09"),
        L("Fabricant du système", "VMware, Inc."),
        L("Modèle du système", "VMware Virtual Platform"),
        L("Type du système", "x64-based PC"),
        L("Processeur(s)", "1 processeur(s) installé(s)."),
        pad + "[01]" + nb + ": Intel64 Family 6 Model 85 Stepping 7 GenuineIntel ~2394 MHz",
        L("Version du BIOS", "Phoenix Technologies LTD 6.00, 12/12/2018"),
        L("Répertoire Windows", "C:\\Windows"),
        L("Répertoire système", "C:\\Windows\\system32"),
        L("Périphérique d'amorçage", "\\Device\\HarddiskVolume1"),
        L("Option régionale du système", "fr;Français (France)"),
        L("Paramètres régionaux d'entrée", "fr;Français (France)"),
        L("Fuseau horaire", "(UTC+01:00) Amsterdam, Berlin, Berne, Rome, Stockholm, Vienne"),
        L("Mémoire physique totale", "8" + nb + "191 Mo"),
        L("Mémoire physique disponible", "4" + nb + "870 Mo"),
        "Mémoire virtuelle" + nb + ": taille maximale:        16" + nb + "381 Mo",
        "Mémoire virtuelle" + nb + ": disponible:             12" + nb + "209 Mo",
        "Mémoire virtuelle" + nb + ": en cours d'utilisation: 4" + nb + "172 Mo",
        L("Emplacements des fichiers d'échange", "C:\\pagefile.sys"),
        L("Domaine", "exemple.local"),
        L("Serveur d'ouverture de session", "\\\\DC01"),
        L("Correctif(s)", "%d Corrections installées." % len(kbs)),
    ]
    lines += [pad + "[%02d]: %s" % (i, kb) for i, kb in enumerate(kbs, 1)]
    lines += [
        L("Carte(s) réseau", "1 carte(s) réseau installée(s)."),
        pad + "[01]: Connexion réseau Intel(R) PRO/1000 MT",
        pad + "      Nom de la connexion" + nb + ": Connexion au réseau local",
        pad + "      DHCP activé" + nb + ":         Non",
        pad + "      Adresse(s) IP",
        pad + "      [01]: 10.50.2.21",
    ]
    return crlf(lines)


def qfe_txt(host, kbs, sid="S-1-5-21-3719485036-1184937728-2894061512-500"):
    recs = []
    for kb in kbs:
        y, m, d = install_date(kb)
        recs.append([
            ("Caption", "http://support.microsoft.com/?kbid=" + kb[2:]),
            ("CSName", host),
            ("Description", "Security Update"),
            ("FixComments", ""),
            ("HotFixID", kb),
            ("InstallDate", ""),
            ("InstalledBy", sid),
            ("InstalledOn", filetime_hex(y, m, d)),
            ("Name", ""),
            ("ServicePackInEffect", ""),
            ("Status", ""),
        ])
    return utf16(wmic_list(recs))


def os_txt(host, build, caption, csd, sku, arch, ptype=3, locale="0409", oslang="1033", spmajor=None,
           version=None, install="20120314091244.000000+060", boot="20261116031240.375199+060"):
    if spmajor is None:
        spmajor = {"Service Pack 2": "2", "Service Pack 1": "1", "": "0"}[csd]
    return utf16(wmic_list([[
        ("BuildNumber", str(build)),
        ("Caption", caption),
        ("CSDVersion", csd),
        ("CSName", host),
        ("InstallDate", install),
        ("LastBootUpTime", boot),
        ("Locale", locale),
        ("OperatingSystemSKU", str(sku)),
        ("OSArchitecture", arch),
        ("OSLanguage", oslang),
        ("ProductType", str(ptype)),
        ("ServicePackMajorVersion", str(spmajor)),
        ("ServicePackMinorVersion", "0"),
        ("Version", version or "6.0.%d" % build),
    ]]))


def kernel_txt(v):
    return utf16(wmic_list([[("Version", v)]]))


def write_case(root, name, files):
    path = os.path.join(root, name)
    os.makedirs(path, exist_ok=True)
    for fn, data in files.items():
        with open(os.path.join(path, fn), "wb") as f:
            f.write(data)


ROOT = HERE
ROWS = list(csv.DictReader(open(os.path.join(REPO, "data", "servicing", "ws2008-sp2-updates.csv"))))
BY = {r["kb"]: r for r in ROWS}


def month(kind, m):
    return [r["kb"] for r in ROWS if r["kind"] == kind and r["release_date"][:7] == m][0]


def months(a, b):
    y, mo = map(int, a.split("-"))
    out = []
    while "%04d-%02d" % (y, mo) <= b:
        out.append("%04d-%02d" % (y, mo))
        mo += 1
        if mo == 13:
            y, mo = y + 1, 1
    return out


def R(m):
    return month("monthly_rollup", m)


def S(m):
    return month("security_only", m)


def K(m):
    v = BY[R(m)]["build_after"]
    assert v, m
    return v


SSUS = ["KB4493730", "KB4517134", "KB4526478", "KB4531787", "KB4536953", "KB4572374", "KB4580971", "KB5010452"]


def ssus_upto(m):
    return [kb for kb in SSUS if BY[kb]["release_date"][:7] <= m]


def by_install(kbs):
    return sorted(dict.fromkeys(kbs), key=lambda kb: (install_date(kb), kb))


CAP = {
    "std": "Microsoft\u00ae Windows Server\u00ae 2008 Standard ",
    "ent": "Microsoft\u00ae Windows Server\u00ae 2008 Enterprise ",
    "dc": "Microsoft\u00ae Windows Server\u00ae 2008 Datacenter ",
    "web": "Microsoft\u00ae Windows Web Server\u00ae 2008 ",
}
SI_NAME = {  # systeminfo's OS Name in cp437 (best-fit r for the registered sign), as the real 2008 capture
    "std": "Microsoftr Windows Serverr 2008 Standard ",
    "ent": "Microsoftr Windows Serverr 2008 Enterprise ",
    "dc": "Microsoftr Windows Serverr 2008 Datacenter ",
    "web": "Microsoftr Windows Web Serverr 2008 ",
}
V6003 = "6.0.6003 Service Pack 2 Build 6003"
V6002 = "6.0.6002 Service Pack 2 Build 6002"
C = {}


def case(name):
    def deco(f):
        C[name] = f
        return f
    return deco


@case("01-rollup-2019-04")
def _():
    h = "SRV-APP19A"
    kbs = by_install([R("2019-01"), R("2019-02"), R("2019-03"), "KB4493730", R("2019-04")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2019-04"))}


@case("02-rollup-2020-01-no-esu")
def _():
    h = "SRV-DB20"
    kbs = by_install(ssus_upto("2020-01") + ["KB4474419"] + [R(m) for m in months("2019-09", "2020-01")])
    return {"systeminfo.txt": utf16(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit")}


@case("03-rollup-2021-06-de-no-oob")
def _():
    h = "SRV-DE-FS01"
    kbs = by_install(ssus_upto("2021-06") + ["KB4474419", "KB4538484"] + [R(m) for m in months("2021-04", "2021-06")])
    si = systeminfo_de(h, "Microsoft\u00ae Windows Server\u00ae 2008 Enterprise ", V6003, "Mitgliedsserver", kbs)
    return {"systeminfo.txt": si.encode("cp850"),
            "os.txt": os_txt(h, 6003, CAP["ent"], "Service Pack 2", 10, "64-bit", locale="0407", oslang="1031"),
            "ntoskrnl.txt": kernel_txt(K("2021-06"))}


@case("04-rollup-2023-01-datacenter")
def _():
    h = "SRV-HV23"
    kbs = by_install(ssus_upto("2023-01") + ["KB4474419", "KB4538484", R("2022-12"), R("2023-01")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["dc"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["dc"], "Service Pack 2", 8, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2023-01"))}


@case("05-esu-rollup-2020-10-qfe")
def _():
    h = "SRV-ERP01"
    kbs = by_install(ssus_upto("2020-10") + ["KB4474419", "KB4538484", R("2020-09"), R("2020-10")])
    return {"qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, CAP["ent"], "Service Pack 2", 10, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2020-10"))}


@case("06-web-edition-2019-06-no-sha2")
def _():
    h = "WEB-EDGE03"
    kbs = by_install(["KB4493730", R("2019-04"), R("2019-05"), R("2019-06")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["web"], V6003, "x64-based PC", "Standalone Server", ("list", kbs), domain="WORKGROUP")),
            "os.txt": os_txt(h, 6003, CAP["web"], "Service Pack 2", 17, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2019-06"))}


def so_chain(a, b, skip=()):
    return [S(m) for m in months(a, b) if S(m) not in skip]


@case("07-so-complete-2018-09-to-2023-01")
def _():
    h = "SRV-SEC01"
    kbs = by_install(ssus_upto("2023-01") + ["KB4474419", "KB4538484", "KB5004959"] + so_chain("2018-09", "2023-01"))
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2023-01"))}


@case("08-so-gap-2021-06")
def _():
    h = "SRV-SEC02"
    kbs = by_install(ssus_upto("2023-01") + ["KB4474419", "KB4538484", "KB5004959"] + so_chain("2018-09", "2023-01", skip=("KB5003695",)))
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2023-01"))}


@case("09-so-only-2023-01")
def _():
    h = "SRV-SEC03"
    kbs = by_install(ssus_upto("2023-01") + ["KB4474419", "KB4538484", S("2023-01")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2023-01"))}


@case("10-mixed-so-then-rollup-2019-10")
def _():
    h = "SRV-MIX01"
    kbs = by_install(["KB4493730", "KB4474419", "KB4517134"] + so_chain("2018-09", "2019-09") + [R("2019-10")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2019-10"))}


@case("11-mixed-rollup-2020-01-then-so-2021-12")
def _():
    h = "SRV-MIX02"
    kbs = by_install(ssus_upto("2021-12") + ["KB4474419", "KB4538484", "KB5004959"]
                     + [R(m) for m in months("2019-10", "2020-01")] + so_chain("2020-02", "2021-12"))
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["ent"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, CAP["ent"], "Service Pack 2", 10, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2021-12"))}


@case("12-hotfix-na-build-6003")
def _():
    h = "SRV-NA01"
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("na",))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit")}


@case("13-count-without-list-kernel-2023-01")
def _():
    h = "SRV-CNT01"
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("count", 41))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2023-01"))}


@case("14-list-cut-mid-entry-kernel-2022-08")
def _():
    h = "SRV-CUT01"
    shown = ["KB4493730", "KB4474419", "KB4517134", "KB4536953", "KB4538484", "KB4580971", "KB5010452", R("2022-06")]
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["ent"], V6003, "x64-based PC", "Member Server", ("cut", 16, shown, "[09]: KB50"))),
            "os.txt": os_txt(h, 6003, CAP["ent"], "Service Pack 2", 10, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2022-08"))}


@case("15-kernel-only-2023-01")
def _():
    h = "SRV-KRN01"
    return {"os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2023-01"))}


@case("16-conflict-2023-01-rollup-with-2019-04-kernel")
def _():
    h = "SRV-PEND01"
    kbs = by_install(["KB4493730", R("2019-04"), "KB4474419", "KB4517134", "KB4536953", "KB4538484", "KB4580971", "KB5010452", R("2023-01")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2019-04"))}


@case("17-conflict-build-6002-with-2020-01-rollup")
def _():
    h = "SRV-ROLLBK01"
    kbs = by_install(ssus_upto("2020-01") + ["KB4474419", R("2020-01")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6002, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6002, CAP["std"], "Service Pack 2", 7, "64-bit")}


@case("18-conflict-sha2-missing-with-2019-08-rollup")
def _():
    h = "SRV-NOSHA01"
    kbs = by_install(["KB4493730"] + [R(m) for m in months("2019-04", "2019-08")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2019-08"))}


@case("19-conflict-systeminfo-vs-qfe")
def _():
    h = "SRV-DIFF01"
    base = ["KB4493730", "KB4517134", "KB4536953", "KB4538484", "KB4580971", "KB5010452", R("2022-11"), R("2022-12")]
    si = by_install(base)
    q = by_install(base + ["KB4474419"])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", si))),
            "qfe.txt": qfe_txt(h, q),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2022-12"))}


@case("20-sp1-build-6001-x64")
def _():
    h = "SRV-OLD01"
    kbs = ["KB975517", "KB2347290"]
    si = systeminfo_en(h, SI_NAME["std"], "6.0.6001 Service Pack 1 Build 6001", "x64-based PC", "Standalone Server",
                       ("list", kbs), install="4/25/2009, 11:48:11 PM", boot="11/16/2026, 8:42:38 AM", domain="WORKGROUP",
                       mem=("1,022 MB", "623 MB", "2,303 MB", "1,910 MB", "393 MB"))
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 6001, CAP["std"], "Service Pack 1", 7, "64-bit", install="20090425234811.000000+060")}


@case("21-sp1-build-6001-x86")
def _():
    h = "SRV-OLD02"
    kbs = ["KB2286198"]
    si = systeminfo_en(h, SI_NAME["std"], "6.0.6001 Service Pack 1 Build 6001", "X86-based PC", "Standalone Server",
                       ("list", kbs), install="4/25/2009, 11:46:20 PM", boot="11/16/2026, 8:42:22 AM", domain="WORKGROUP",
                       mem=("1,022 MB", "646 MB", "2,303 MB", "1,984 MB", "319 MB"),
                       processor="x64 Family 6 Model 78 Stepping 3 GenuineIntel ~2496 Mhz")
    return {"systeminfo.txt": utf16(si),
            "os.txt": os_txt(h, 6001, CAP["std"], "Service Pack 1", 7, "32-bit", install="20090425234620.000000+060")}


@case("22-sp2-x86-rollup-2021-01")
def _():
    h = "SRV-X86-01"
    kbs = by_install(ssus_upto("2021-01") + ["KB4474419", "KB4538484", R("2020-12"), R("2021-01")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "X86-based PC", "Member Server", ("list", kbs),
                                                mem=("3,583 MB", "1,208 MB", "7,341 MB", "4,960 MB", "2,381 MB"),
                                                processor="x86 Family 6 Model 44 Stepping 2 GenuineIntel ~2400 Mhz")),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "32-bit"),
            "ntoskrnl.txt": kernel_txt(K("2021-01"))}


@case("23-itanium-2020-01")
def _():
    h = "SRV-IA64-01"
    kbs = by_install(["KB4474419", R("2019-11"), R("2019-12"), R("2020-01")])
    return {"qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, "Microsoft\u00ae Windows Server\u00ae 2008 for Itanium-Based Systems ", "Service Pack 2", 15, "64-bit")}


@case("24-server-core-standard-2022-05")
def _():
    h = "CORE-DC01"
    kbs = by_install(ssus_upto("2022-05") + ["KB4474419", "KB4538484", R("2022-04"), R("2022-05")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Primary Domain Controller", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 13, "64-bit", ptype=2),
            "ntoskrnl.txt": kernel_txt(K("2022-05"))}


@case("25-server-core-datacenter-qfe-2022-12")
def _():
    h = "CORE-HV02"
    kbs = by_install(ssus_upto("2022-12") + ["KB4474419", "KB4538484", R("2022-10"), R("2022-11"), R("2022-12")])
    return {"qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, CAP["dc"], "Service Pack 2", 12, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2022-12"))}


@case("26-printnightmare-rollup-2021-06-with-kb5004955-fr")
def _():
    h = "SRV-FR-PRN01"
    kbs = by_install(ssus_upto("2021-06") + ["KB4474419", "KB4538484", R("2021-05"), R("2021-06"), "KB5004955"])
    si = systeminfo_fr(h, "Microsoft\u00ae Windows Server\u00ae 2008 Standard ", "6.0.6003 Service Pack 2 version 6003", "Serveur membre", kbs)
    return {"systeminfo.txt": si.encode("cp850"),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit", locale="040c", oslang="1036")}


@case("27-printnightmare-so-2021-06-with-kb5004959")
def _():
    h = "SRV-PRN-SO1"
    kbs = by_install(ssus_upto("2021-06") + ["KB4474419", "KB4538484", "KB5004959"] + so_chain("2018-09", "2021-06"))
    return {"qfe.txt": qfe_txt(h, kbs),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit")}


@case("28-printnightmare-so-2021-06-without-kb5004959")
def _():
    h = "SRV-PRN-SO2"
    kbs = by_install(ssus_upto("2021-06") + ["KB4474419", "KB4538484"] + so_chain("2018-09", "2021-06"))
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2021-06"))}


@case("29-printnightmare-rollup-2021-07-without-kb5004955")
def _():
    h = "SRV-PRN-R7"
    kbs = by_install(ssus_upto("2021-07") + ["KB4474419", "KB4538484", R("2021-06"), R("2021-07")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2021-07"))}


@case("30-only-kb4474419-eternalblue-open")
def _():
    h = "SRV-BARE01"
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["std"], V6002, "x64-based PC", "Member Server", ("list", ["KB4474419"]))),
            "os.txt": os_txt(h, 6002, CAP["std"], "Service Pack 2", 7, "64-bit")}


@case("31-build-6002-rollup-2019-03")
def _():
    h = "SRV-6002-OK"
    kbs = by_install([R("2019-01"), R("2019-02"), R("2019-03")])
    return {"systeminfo.txt": oem(systeminfo_en(h, SI_NAME["ent"], V6002, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6002, CAP["ent"], "Service Pack 2", 10, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2019-03"))}


@case("32-systeminfo-csv-rollup-2021-09")
def _():
    h = "SRV-CSV01"
    kbs = by_install(ssus_upto("2021-09") + ["KB4474419", "KB4538484", R("2021-08"), R("2021-09")])
    si = systeminfo_en(h, SI_NAME["std"], V6003, "x64-based PC", "Member Server", ("list", kbs))
    return {"systeminfo.csv": oem(systeminfo_csv(si)),
            "os.txt": os_txt(h, 6003, CAP["std"], "Service Pack 2", 7, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2021-09"))}


@case("33-azure-esu-rollup-2024-01")
def _():
    h = "AZ-W2K8-01"
    kbs = by_install(ssus_upto("2024-01") + ["KB4474419", "KB4538484", R("2023-12"), R("2024-01")])
    return {"systeminfo.txt": utf16(systeminfo_en(h, SI_NAME["dc"], V6003, "x64-based PC", "Member Server", ("list", kbs))),
            "os.txt": os_txt(h, 6003, CAP["dc"], "Service Pack 2", 8, "64-bit"),
            "ntoskrnl.txt": kernel_txt(K("2024-01"))}


@case("34-2008-r2-sp1-rollup-2017-03")
def _():
    h = "SRV-R2-APP01"
    si = systeminfo_en(h, "Microsoft Windows Server 2008 R2 Standard ", "6.1.7601 Service Pack 1 Build 7601", "x64-based PC",
                       "Member Server", ("list", ["KB4012212", "KB4012215"]), product_id="00477-001-0000421-80512",
                       vm_labels=True)
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 7601, "Microsoft Windows Server 2008 R2 Standard ", "Service Pack 1", 7, "64-bit", version="6.1.7601")}


V7601 = "6.1.7601 Service Pack 1 Build 7601"
R2_STD = "Microsoft Windows Server 2008 R2 Standard "


@case("37-2008-r2-rollup-2023-01-esu")
def _():
    h = "SRV-R2-ESU01"
    kbs = ["KB4490628", "KB4474419", "KB4538483", "KB5017397", "KB5022338"]
    si = systeminfo_en(h, R2_STD, V7601, "x64-based PC", "Member Server", ("list", kbs),
                       product_id="00477-001-0000421-80513", vm_labels=True)
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 7601, R2_STD, "Service Pack 1", 7, "64-bit", version="6.1.7601"),
            "ntoskrnl.txt": kernel_txt("6.1.7601.26321")}


@case("38-2008-r2-rtm-build-7600")
def _():
    h = "SRV-R2-RTM01"
    si = systeminfo_en(h, R2_STD, "6.1.7600 N/A Build 7600", "x64-based PC", "Member Server", ("list", ["KB975517"]),
                       product_id="00477-001-0000421-80514", vm_labels=True)
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 7600, R2_STD, "", 7, "64-bit", version="6.1.7600")}


@case("39-2008-r2-core-hotfix-na-kernel-2022-05")
def _():
    h = "SRV-R2-CORE01"
    si = systeminfo_en(h, R2_STD, V7601, "x64-based PC", "Member Server", ("na",),
                       product_id="00477-001-0000421-80515", vm_labels=True)
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 7601, R2_STD, "Service Pack 1", 13, "64-bit", version="6.1.7601"),
            "ntoskrnl.txt": kernel_txt("6.1.7601.25954")}


@case("40-2008-r2-so-2016-10-to-2017-06-gap-2017-04")
def _():
    h = "SRV-R2-SO01"
    kbs = ["KB3192391", "KB3197867", "KB3205394", "KB3212642", "KB4012212", "KB4019263", "KB4022722"]
    si = systeminfo_en(h, R2_STD, V7601, "x64-based PC", "Member Server", ("list", kbs),
                       product_id="00477-001-0000421-80516", vm_labels=True)
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 7601, R2_STD, "Service Pack 1", 7, "64-bit", version="6.1.7601")}


@case("35-refused-windows-7")
def _():
    h = "PC-W7-0042"
    si = systeminfo_en(h, "Microsoft Windows 7 Enterprise ", "6.1.7601 Service Pack 1 Build 7601", "X86-based PC",
                       "Member Workstation", ("list", ["KB4012212", "KB4012215"]), product_id="00392-918-5000002-80117",
                       processor="x64 Family 6 Model 78 Stepping 3 GenuineIntel ~2496 Mhz", vm_labels=True)
    return {"systeminfo.txt": oem(si)}


@case("36-refused-vista-sp2")
def _():
    h = "PC-VISTA-07"
    si = systeminfo_en(h, "Microsoftr Windows VistaT Enterprise ", V6002, "x64-based PC", "Standalone Workstation",
                       ("list", ["KB4012598", "KB4018466"]), product_id="89586-236-0200203-70219", domain="WORKGROUP")
    return {"systeminfo.txt": oem(si),
            "os.txt": os_txt(h, 6002, "Microsoft\u00ae Windows Vista\u2122 Enterprise ", "Service Pack 2", 4, "64-bit", ptype=1)}


if __name__ == "__main__":
    for name, f in C.items():
        write_case(ROOT, name, f())
    print(len(C), "cases written")
