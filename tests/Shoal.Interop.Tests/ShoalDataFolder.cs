using System.Runtime.CompilerServices;

namespace Shoal.Interop.Tests;

/// <summary>
/// Every `shoal` these tests start keeps its resume data in a folder of this test run, not in the
/// user's ~/.local/share/shoal: child processes inherit SHOAL_DATA_DIR.
/// </summary>
internal static class ShoalDataFolder
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        string folder = Directory.CreateTempSubdirectory("shoal-test-data-").FullName;
        Environment.SetEnvironmentVariable("SHOAL_DATA_DIR", folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
    }
}
