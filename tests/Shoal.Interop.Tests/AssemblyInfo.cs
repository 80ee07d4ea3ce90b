using System.Runtime.Versioning;

// The real clients these tests drive (python3-libtorrent, Transmission, aria2) are Debian packages.
[assembly: SupportedOSPlatform("linux")]
[assembly: TestCollectionOrderer("Shoal.Interop.Tests.Soak.SoakFirst", "Shoal.Interop.Tests")]
