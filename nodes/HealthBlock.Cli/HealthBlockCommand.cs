using System.CommandLine;
using HealthBlock.Cli.Commands;

namespace HealthBlock.Cli;

/// <summary>Builds the <c>healthblock</c> command tree.</summary>
internal static class HealthBlockCommand
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("HealthBlock: user-controlled, blockchain-audited health IoT data")
        {
            KeygenCommand.Create(context),
            IdentityCommand.Create(context),
            AdminCommand.Create(context),
            CidCommand.Create(context),
            FrameCommand.Create(context),
            GatewayCommand.Create(context),
            PatientCommand.Create(context),
            StoreCommand.Create(context),
            AccountingCommand.Create(context),
            AccountingCommand.CreateAudit(context),
            DevnetCommand.Create(context),
            DoctorCommand.Create(context),
            EcgCommand.Create(context),
            StatsCommand.Create(context),
            WearableCommand.Create(context),
        };
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the context's writers.</summary>
    public static int Invoke(CliContext context, string[] args)
    {
        var parse = Create(context).Parse(args);
        // On SIGTERM or Ctrl+C a role stops its node and then flushes queued alert mail (up to 30 s); the default grace
        // of 2 s would kill the process first and lose that mail.
        return parse.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });
    }
}
