using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Shoal.Benchmarks.TorrentDecodingBenchmarks).Assembly).Run(args);
