using Shoal.Cli;

return await ShoalCli.RunAsync(args).ConfigureAwait(false);
