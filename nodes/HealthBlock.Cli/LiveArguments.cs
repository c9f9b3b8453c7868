using System.CommandLine;
using HealthBlock.Doctor.Live;
using HealthBlock.Gateway.Live;

namespace HealthBlock.Cli;

/// <summary>
/// The live-path options of <c>healthblock gateway</c> and <c>healthblock doctor</c>, as devnet has them
/// (docs/design-notes/ledger-growth.md). Gateway: <c>--live</c> turns the live path on (sealed sub-batches published at
/// once with QoS 0, one IoT transaction per <c>--iot-period-s</c>), <c>--live-broker</c> names the broker to publish on.
/// Doctor: <c>--live-broker</c> turns it on (subscribe there, alarms at once, one summary per
/// <c>--summary-period-s</c>). Without them both roles keep the per-batch design, so a gateway and its doctors change
/// over together.
/// </summary>
internal sealed class LiveArguments
{
    private readonly Option<bool> _live = new("--live")
    {
        Description = "Live path: seal journalled frames into sub-batches at once, publish them QoS 0 on hb/live/<patient>, and commit one IoT transaction per --iot-period-s (default: one batch and IoT transaction per --window-ms)",
    };

    private readonly Option<int> _iotPeriod = new("--iot-period-s")
    {
        Description = "Live path: seconds of live sub-batches one IoT transaction commits",
        DefaultValueFactory = _ => 60,
    };

    private readonly Option<int> _summaryPeriod = new("--summary-period-s")
    {
        Description = "Live path: one summary diagnosis per patient per this many seconds, besides alarms and finding changes",
        DefaultValueFactory = _ => 900,
    };

    private readonly Option<string?> _broker = new("--live-broker")
    {
        Description = "The broker (mqtt://host:port) live sub-batches go through (gateway: default its own broker; doctor: turns the live path on)",
    };

    /// <summary>Adds the gateway's options to <paramref name="command"/>.</summary>
    public void AddToGateway(Command command)
    {
        command.Options.Add(_live);
        command.Options.Add(_iotPeriod);
        command.Options.Add(_broker);
    }

    /// <summary>Adds the doctor's options to <paramref name="command"/>.</summary>
    public void AddToDoctor(Command command)
    {
        command.Options.Add(_broker);
        command.Options.Add(_summaryPeriod);
    }

    /// <summary>The gateway's live options, or null without <c>--live</c>.</summary>
    /// <exception cref="CliException">A period below one second or a broker that is not mqtt://host:port.</exception>
    public LiveOptions? Gateway(ParseResult parse)
    {
        if (!parse.GetValue(_live))
        {
            return parse.GetValue(_broker) is null ? null : throw new CliException("--live-broker needs --live on the gateway");
        }

        var options = new LiveOptions { Period = TimeSpan.FromSeconds(Seconds(parse, _iotPeriod)), Broker = Broker(parse) };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }

        return options;
    }

    /// <summary>The doctor's live options, or null without <c>--live-broker</c>.</summary>
    /// <exception cref="CliException">A period below one second or a broker that is not mqtt://host:port.</exception>
    public LiveAlarmOptions? Doctor(ParseResult parse) => Broker(parse) is { } broker
        ? new LiveAlarmOptions { Broker = broker, SummaryPeriod = TimeSpan.FromSeconds(Seconds(parse, _summaryPeriod)) }
        : null;

    private static int Seconds(ParseResult parse, Option<int> option)
    {
        var seconds = parse.GetValue(option);
        return seconds >= 1 ? seconds : throw new CliException($"{option.Name} must be at least 1 (got {seconds})");
    }

    private Uri? Broker(ParseResult parse) => parse.GetValue(_broker) switch
    {
        null => null,
        var text when Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "mqtt" or "tcp" && uri.Port > 0 => uri,
        var text => throw new CliException($"--live-broker '{text}' is not mqtt://host:port"),
    };
}
