@echo off
rem Runs Cartero: builds target\cartero.jar first when it is missing or older than the sources.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%target\cartero.jar"
set "ARCHIVE=%HERE%target\cartero.jsa"
set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo Cartero needs Java 17 or newer; install a JDK or set JAVA_HOME. 1>&2
  echo Cartero necesita Java 17 o mas reciente; instala un JDK o define JAVA_HOME. 1>&2
  exit /b 3
)
set "STATE=build"
for /f "usebackq delims=" %%s in (`powershell -NoProfile -Command "$j = Get-Item -LiteralPath '%JAR%' -ErrorAction SilentlyContinue; if (-not $j) { 'build' } elseif (Get-ChildItem -Recurse -File -LiteralPath '%HERE%src\main','%HERE%pom.xml' | Where-Object { $_.LastWriteTime -gt $j.LastWriteTime } | Select-Object -First 1) { 'build' } else { 'ok' }"`) do set "STATE=%%s"
if "%STATE%"=="build" (
  echo Building Cartero; the first time this downloads its dependencies, a minute or two... 1>&2
  echo Compilando Cartero; la primera vez descarga sus dependencias, uno o dos minutos... 1>&2
  pushd "%HERE%"
  if exist "%ARCHIVE%" del /f "%ARCHIVE%"
  call mvnw.cmd -B -q -DskipTests package 1>&2
  if errorlevel 1 (
    popd
    echo The build failed. / La compilacion fallo. 1>&2
    exit /b 3
  )
  popd
)
rem The class archive (AppCDS): the classes a run of the guided tour loads, saved once so that
rem later starts map them. Made again after each build; an unusable one only costs start time.
if not exist "%ARCHIVE%" (
  echo Preparing a faster start, once, a few seconds... 1>&2
  echo Preparando un arranque mas rapido, una vez, unos segundos... 1>&2
  "%JAVA%" -XX:ArchiveClassesAtExit="%ARCHIVE%" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "%JAR%" demo --auto --broker memory --lang en >nul 2>&1
  if not exist "%ARCHIVE%" type nul > "%ARCHIVE%"
)
"%JAVA%" -XX:SharedArchiveFile="%ARCHIVE%" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "%JAR%" %*
exit /b %ERRORLEVEL%
