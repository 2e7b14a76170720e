@echo off
rem ======================================================================
rem  collect.cmd - w2k8 collector for Windows Server 2008 SP2
rem
rem  Gathers what w2k8 needs to tell where this machine stands on updates.
rem  READ-ONLY: it runs query commands only (systeminfo, wmic get/list,
rem  reg query, sc queryex, netstat, netsh show, dir, copy of log files)
rem  and writes nothing outside its own
rem  output folder  w2k8-<COMPUTERNAME>-<yyyymmdd>  created next to this
rem  script, or in the current folder when the script's folder is not
rem  writable.
rem
rem  Needs cmd.exe only (works on Server Core). PowerShell is used only if
rem  powershell.exe exists, for one extra file (hotfix.csv).
rem  Run it from an elevated prompt (Run as administrator) so that the log
rem  copies and the servicing folder listing succeed.
rem
rem  Every output is kept exactly as the tool writes it: systeminfo and reg
rem  write the OEM code page, wmic writes UTF-16LE. w2k8 reads both.
rem  Afterwards copy the whole folder (or a zip of it) to the machine that
rem  runs w2k8.
rem ======================================================================
setlocal EnableExtensions DisableDelayedExpansion
set "W2K8_COLLECTOR_VERSION=1"

rem --- Date as yyyymmdd, independent of the locale's %DATE% format --------
rem wmic prints LocalDateTime=20261120093015.123000+060: keep characters 0-7.
set "NOW="
set "STAMP="
for /f "tokens=2 delims==" %%D in ('wmic os get LocalDateTime /value 2^>nul ^<nul ^| find "="') do set "NOW=%%D"
if defined NOW set "NOW=%NOW:~0,21%"
if defined NOW set "STAMP=%NOW:~0,8%"
if not defined STAMP set "STAMP=00000000"

rem --- Output folder: next to the script, else in the current folder -----
set "OUTNAME=w2k8-%COMPUTERNAME%-%STAMP%"
set "OUT=%~dp0%OUTNAME%"
if not exist "%OUT%\" mkdir "%OUT%" 2>nul
if not exist "%OUT%\" set "OUT=%CD%\%OUTNAME%"
if not exist "%OUT%\" mkdir "%OUT%" 2>nul
if not exist "%OUT%\" goto :nofolder
if not exist "%OUT%\logs\" mkdir "%OUT%\logs" 2>nul

set "LOG=%OUT%\collector.txt"
set "WBEM=%SystemRoot%\System32\wbem"
set "CBSKEY=HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing"
set "QFECSV_OK="

> "%LOG%" echo w2k8 collector version %W2K8_COLLECTOR_VERSION%
>>"%LOG%" echo computer: %COMPUTERNAME%
>>"%LOG%" echo started: %NOW% [wmic LocalDateTime] / %DATE% %TIME% [cmd]
>>"%LOG%" echo script: %~f0
>>"%LOG%" echo output: %OUT%
>>"%LOG%" echo processor: %PROCESSOR_ARCHITECTURE% %PROCESSOR_ARCHITEW6432%
>>"%LOG%" echo.
>>"%LOG%" echo Each command: its errorlevel, its output file, the command line,
>>"%LOG%" echo preceded by anything it wrote to stderr.
>>"%LOG%" echo.

echo w2k8 collector version %W2K8_COLLECTOR_VERSION%
echo Writing to "%OUT%"
echo.

rem --- systeminfo ----------------------------------------------------------
set "CMDLINE=systeminfo /fo list"
call :run systeminfo.txt
set "CMDLINE=systeminfo /fo csv"
call :run systeminfo.csv

rem --- installed updates (WMI) ---------------------------------------------
set "CMDLINE=wmic qfe list full"
call :run qfe.txt

rem /format:csv fails on many machines with "Invalid XSL format (or) file
rem name." (exit code 44210): wmic looks for csv.xsl in the wbem folder of
rem the regional format (e.g. wbem\en-GB) while only wbem\en-US has it.
rem Try the short name, then the full path of en-US, then of any csv.xsl.
set "CMDLINE=wmic qfe list full /format:csv"
call :run qfe.csv
rem RC, not "if errorlevel": wmic failures can be negative (0x8004xxxx).
if "%RC%"=="0" goto :qfedone
if exist "%WBEM%\en-US\csv.xsl" call :trycsv "%WBEM%\en-US"
if defined QFECSV_OK goto :qfedone
for /d %%L in ("%WBEM%\*-*") do if exist "%%~fL\csv.xsl" call :trycsv "%%~fL"
:qfedone

rem --- OS and kernel version -----------------------------------------------
set "CMDLINE=wmic os get BuildNumber,Caption,CSDVersion,CSName,InstallDate,LastBootUpTime,Locale,OperatingSystemSKU,OSArchitecture,OSLanguage,ProductType,ServicePackMajorVersion,ServicePackMinorVersion,Version /format:list"
call :run os.txt
set "CMDLINE=wmic datafile where "name='%SystemRoot:\=\\%\\System32\\ntoskrnl.exe'" get Version /format:list"
call :run ntoskrnl.txt

rem --- registry ------------------------------------------------------------
set "CMDLINE=reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion""
call :run reg-currentversion.txt
set "CMDLINE=reg query "%CBSKEY%\Packages""
call :run reg-cbs-packages.txt

rem --- servicing packages folder -------------------------------------------
set "CMDLINE=dir /b "%SystemRoot%\servicing\Packages""
call :run servicing-packages.txt

rem --- pending reboot: a missing key is the normal answer (errorlevel 1) ---
set "CMDLINE=reg query "%CBSKEY%\RebootPending""
call :run reg-reboot.txt
set "CMDLINE=reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired""
call :add reg-reboot.txt
set "CMDLINE=reg query "HKLM\SYSTEM\CurrentControlSet\Control\Session Manager" /v PendingFileRenameOperations"
call :add reg-reboot.txt

rem --- Internet Explorer and .NET Framework --------------------------------
set "CMDLINE=reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v Version"
call :run reg-ie.txt
set "CMDLINE=reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v svcVersion"
call :add reg-ie.txt
set "CMDLINE=reg query "HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP" /s"
call :run reg-dotnet.txt

rem --- disks -------------------------------------------------------------
set "CMDLINE=wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem /format:list"
call :run disk.txt

rem --- roles: servermanagercmd on a full install, oclist on Server Core ----
set "CMDLINE="
if exist "%SystemRoot%\System32\oclist.exe" set "CMDLINE=oclist"
if exist "%SystemRoot%\System32\servermanagercmd.exe" set "CMDLINE=servermanagercmd -query"
if defined CMDLINE call :run roles.txt
if not defined CMDLINE >>"%LOG%" echo skipped roles.txt: neither servermanagercmd.exe nor oclist.exe found

rem --- reachability: what decides whether an open CVE can be reached -----
rem Registry values Microsoft's workarounds name (each query after a
rem w2k8-query marker line: a key that does not exist leaves the marker
rem alone, reg writes its error to collector.txt), the Start value of the
rem services the workarounds stop (4 = disabled), every service and its
rem state, the listening ports, and the host firewall. Queries only.
set "RM=reg-mitigations.txt"
echo   %RM%
>"%OUT%\%RM%" echo w2k8-mitigations
call :regm "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"
call :regm "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
call :regm "HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Printers"
call :regm "HKLM\SYSTEM\CurrentControlSet\Services\DNS\Parameters"
call :regm "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"
call :regm "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows"
call :regm "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\GRE_Initialize"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows\AppCompat"
call :regm "HKLM\SOFTWARE\Microsoft\Gdiplus"
call :regm "HKLM\SOFTWARE\Wow6432Node\Microsoft\Gdiplus"
call :regm "HKLM\SOFTWARE\Microsoft\Cryptography\Wintrust\Config"
call :regm "HKLM\SOFTWARE\Wow6432Node\Microsoft\Cryptography\Wintrust\Config"
call :regm "HKLM\SOFTWARE\Classes\lnkfile\shellex\IconHandler"
call :regm "HKLM\SOFTWARE\Classes\piffile\shellex\IconHandler"
call :regm "HKLM\SOFTWARE\Microsoft\Active Setup\Installed Components\{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}"
call :regm "HKLM\SOFTWARE\Microsoft\Active Setup\Installed Components\{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\0"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\1"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\2"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\3"
call :regm "HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service"
for %%S in (Spooler WebClient DNS TermService TermServLicensing LanmanServer WSearch MSMQ IKEEXT RemoteAccess Fax MSiSCSI SharedAccess LPDSVC WinRM mrxsmb10) do call :regm "HKLM\SYSTEM\CurrentControlSet\Services\%%S" Start
set "CMDLINE=sc queryex type= service state= all"
call :run services.txt
set "CMDLINE=netstat -ano"
call :run netstat.txt
set "CMDLINE=netsh advfirewall show allprofiles"
call :run firewall.txt
set "CMDLINE=netsh advfirewall firewall show rule name=all"
call :add firewall.txt

rem --- PowerShell 2.0 Get-HotFix, only where PowerShell is installed -------
set "PSEXE=%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe"
set "CMDLINE="%PSEXE%" -NoProfile -NonInteractive -Command "Get-HotFix | Export-Csv -NoTypeInformation -Path '%OUT%\hotfix.csv'""
if exist "%PSEXE%" call :runps hotfix.csv
if not exist "%PSEXE%" >>"%LOG%" echo skipped hotfix.csv: powershell.exe is not installed

rem --- servicing logs: copies; CBS.log may be locked by TrustedInstaller -
call :copylog "%SystemRoot%\Logs\CBS\CBS.log"
for %%F in ("%SystemRoot%\Logs\CBS\CbsPersist_*.log") do call :copylog "%%~fF"
call :copylog "%SystemRoot%\WindowsUpdate.log"
call :copylog "%SystemRoot%\Logs\CBS\CheckSUR.log"

>>"%LOG%" echo.
>>"%LOG%" echo finished: %DATE% %TIME%

echo.
echo Done. The bundle is the folder:
echo   "%OUT%"
echo Copy it (or a zip of it) to the machine that runs w2k8.
echo Commands run and their errorlevels: "%LOG%"
endlocal
exit /b 0

rem ======================================================================
rem Subroutines. The command to run is in CMDLINE (set by the caller, so
rem that commas, quotes and equal signs reach it unchanged). stdin comes
rem from NUL so that no command ever waits for the keyboard; stderr goes
rem to collector.txt next to the errorlevel.
rem ======================================================================

rem :run FILE - runs CMDLINE, its output to FILE (overwritten).
:run
echo   %~1
%CMDLINE% >"%OUT%\%~1" 2>>"%LOG%" <nul
set "RC=%ERRORLEVEL%"
>>"%LOG%" echo %RC% %~1 %CMDLINE%
exit /b %RC%

rem :add FILE - runs CMDLINE, its output appended to FILE.
:add
%CMDLINE% >>"%OUT%\%~1" 2>>"%LOG%" <nul
set "RC=%ERRORLEVEL%"
>>"%LOG%" echo %RC% %~1 [appended] %CMDLINE%
exit /b %RC%

rem :regm KEY [VALUE] - reg query of KEY (or of its VALUE with /v),
rem appended to reg-mitigations.txt after a marker line naming the query.
:regm
>>"%OUT%\%RM%" echo w2k8-query: %~1 %~2
set "CMDLINE=reg query "%~1""
if not "%~2"=="" set "CMDLINE=reg query "%~1" /v %~2"
call :add %RM%
exit /b 0

rem :runps FILE - runs CMDLINE, which writes FILE itself.
:runps
echo   %~1
%CMDLINE% >nul 2>>"%LOG%" <nul
set "RC=%ERRORLEVEL%"
>>"%LOG%" echo %RC% %~1 %CMDLINE%
exit /b %RC%

rem :trycsv FOLDER - wmic qfe with the csv.xsl of FOLDER, until one works.
:trycsv
if defined QFECSV_OK exit /b 0
set "CMDLINE=wmic qfe list full /format:"%~1\csv""
call :run qfe.csv
if "%RC%"=="0" set "QFECSV_OK=1"
exit /b 0

rem :copylog PATH - copies one log into logs\, recording success or failure.
:copylog
if not exist "%~1" >>"%LOG%" echo skipped logs\%~nx1: %~1 not found
if not exist "%~1" exit /b 0
copy /y "%~1" "%OUT%\logs\%~nx1" >nul 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
>>"%LOG%" echo %RC% logs\%~nx1 copy /y "%~1"
if "%RC%"=="0" echo   logs\%~nx1
if not "%RC%"=="0" echo   logs\%~nx1 NOT copied, in use or access denied: see collector.txt
exit /b 0

:nofolder
echo Cannot create the folder "%OUTNAME%" next to the script or in "%CD%".
echo Run this script from a folder you can write to.
endlocal
exit /b 1
