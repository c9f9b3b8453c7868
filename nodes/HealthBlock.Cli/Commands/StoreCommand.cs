using System.CommandLine;
using HealthBlock.Protocol.Content;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock store put|get|verify</c>.</summary>
internal static class StoreCommand
{
    public static Command Create(CliContext context)
    {
        var stores = EndpointOptions.Store(required: false);
        stores.Description += " (default ./store)";
        var storeDir = new Option<string?>("--store") { Description = "Embedded store folder (default ./store)" };

        var file = new Argument<FileInfo>("file") { Description = "The file to store as one raw block (at most 1 MiB)" };
        var put = new Command("put", "Store a file as one raw block and print its CID") { file, stores };
        put.SetAction((parse, ct) => CommandRunner.RunAsync(context, async () =>
        {
            var info = parse.GetValue(file)!;
            if (!info.Exists)
            {
                throw new CliException($"'{info.FullName}' does not exist");
            }

            var store = Open(parse.GetValue(stores));
            try
            {
                var cid = await store.PutAsync(await File.ReadAllBytesAsync(info.FullName, ct), ct);
                await context.Out.WriteLineAsync(cid.ToString());
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));

        var cidArg = new Argument<string>("cid") { Description = "The CID to fetch" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the block", Required = true };
        var get = new Command("get", "Fetch a block by CID (verified against the CID) into a file") { cidArg, output, stores };
        get.SetAction((parse, ct) => CommandRunner.RunAsync(context, async () =>
        {
            var cid = Cid.Parse(parse.GetValue(cidArg)!);
            var store = Open(parse.GetValue(stores));
            try
            {
                await File.WriteAllBytesAsync(parse.GetValue(output)!.FullName, await store.GetAsync(cid, ct), ct);
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));

        var alertMail = new AlertMailArguments();
        var verify = new Command("verify", "Re-hash every block of an embedded store; exit 1 naming the CIDs that do not match, each raised as an alert") { storeDir };
        alertMail.AddTo(verify);
        verify.SetAction((parse, ct) => CommandRunner.RunAsync(context, async () =>
        {
            using var loggers = Connections.Logging(quiet: true);
            await using var alerts = alertMail.CreateHub(context, parse, loggers, "store");
            var folder = Path.GetFullPath(parse.GetValue(storeDir) ?? "store");
            if (!Directory.Exists(folder))
            {
                throw new CliException($"no store at '{folder}'");
            }

            var report = await new EmbeddedContentStore(folder).VerifyAllAsync(ct);
            foreach (var cid in report.Tampered)
            {
                await context.Out.WriteLineAsync($"TAMPERED {cid}");
                alerts.Raise(CheckAlerts.BlockTampered(cid, folder));
            }

            await context.Out.WriteLineAsync($"{report.BlocksChecked} blocks checked, {report.Tampered.Count} tampered");
            return report.Tampered.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }));

        return new Command("store", "Content store tools (embedded block store or IPFS)") { put, get, verify };
    }

    private static IContentStore Open(string[]? specs) => Connections.Store(EndpointOptions.Split(specs) is { Length: > 0 } given ? given : ["store"]);
}
