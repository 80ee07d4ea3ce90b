using Shoal.TrackerLoad;

try
{
    switch (args.FirstOrDefault())
    {
        case "http":
        case "udp":
            var options = LoadOptions.Parse(args[0] == "http" ? Transport.Http : Transport.Udp, args[1..]);
            var result = await LoadRun.RunAsync(options);
            Console.Write(result.Describe());
            Console.WriteLine(result.Line());
            return result.Stats.Announces > 0 ? 0 : 1;
        case "hashes":
            var (path, hashes, seed) = LoadOptions.ParseHashes(args[1..]);
            await File.WriteAllLinesAsync(path, new Swarms(hashes, hashes, seed).HexLines());
            return 0;
        case "--help" or "-h":
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        default:
            throw new UsageException("no mode given");
    }
}
catch (UsageException e)
{
    Console.Error.WriteLine($"Shoal.TrackerLoad: {e.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
