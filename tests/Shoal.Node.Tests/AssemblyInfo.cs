using System.Runtime.Versioning;

// The web stories drive Debian's Chromium and python3-libtorrent, and the shared tracker helper sets Unix file modes.
[assembly: SupportedOSPlatform("linux")]
