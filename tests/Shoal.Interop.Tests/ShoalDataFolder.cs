using System.Runtime.CompilerServices;

namespace Shoal.Interop.Tests;

/// <summary>
/// Every `shoal` these tests start (the node tests link this file too) keeps its resume data in a folder of this test
/// run, not in the user's ~/.local/share/shoal, and asks no router for ports (Net:PortMapping is on by default, and the
/// machine's real gateway is no test's business): child processes inherit SHOAL_DATA_DIR and SHOAL_Net__PortMapping. A
/// test that wants port mapping sets it back in the child's environment.
/// </summary>
internal static class ShoalDataFolder
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        string folder = Directory.CreateTempSubdirectory("shoal-test-data-").FullName;
        Environment.SetEnvironmentVariable("SHOAL_DATA_DIR", folder);
        Environment.SetEnvironmentVariable("SHOAL_Net__PortMapping", "false");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
    }
}
