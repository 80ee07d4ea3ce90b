using System.Runtime.CompilerServices;

namespace Shoal.Interop.Tests;

/// <summary>
/// Every `shoal` these tests start (the node tests link this file too) keeps its resume data in a folder of this test
/// run, not in the user's ~/.local/share/shoal, asks no router for ports (Net:PortMapping is on by default, and the
/// machine's real gateway is no test's business) and joins the DHT through no bootstrap node unless a test names one
/// (Dht:Bootstrap defaults to the internet's routers): child processes inherit SHOAL_DATA_DIR, SHOAL_Net__PortMapping
/// and SHOAL_Dht__Bootstrap. A test that wants port mapping sets it back in the child's environment.
/// </summary>
internal static class ShoalDataFolder
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        string folder = Directory.CreateTempSubdirectory("shoal-test-data-").FullName;
        Environment.SetEnvironmentVariable("SHOAL_DATA_DIR", folder);
        Environment.SetEnvironmentVariable("SHOAL_Net__PortMapping", "false");
        Environment.SetEnvironmentVariable("SHOAL_Dht__Bootstrap", "none");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
    }
}
