using System.CommandLine;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock cid FILE</c>: the CIDv1 of a file's bytes as one raw block.</summary>
internal static class CidCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "The file whose bytes form one raw block" };
        var command = new Command("cid", "Print the CIDv1 (raw, sha2-256, base32) IPFS gives the file's bytes as one raw block") { file };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var info = parse.GetValue(file)!;
            if (!info.Exists)
            {
                throw new CliException($"'{info.FullName}' does not exist");
            }

            using var stream = info.OpenRead();
            context.Out.WriteLine(Cid.Compute(stream).ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
