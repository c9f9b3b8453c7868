using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Doctor.Live;
using HealthBlock.Gateway.Live;
using HealthBlock.Gateway.Mqtt;

namespace HealthBlock.Cli;

/// <summary>
/// The live-path options of <c>healthblock gateway</c> and <c>healthblock doctor</c>, as devnet has them
/// (docs/design-notes/ledger-growth.md). Gateway: <c>--live</c> turns the live path on (sealed sub-batches published at
/// once with QoS 0, one IoT transaction per <c>--iot-period-s</c>), <c>--live-broker</c> names the broker to publish on.
/// Doctor: <c>--live-broker</c> turns it on (subscribe there, alarms at once, one summary per
/// <c>--summary-period-s</c>). The broker is <c>mqtts://host:port</c> with <c>--live-broker-ca FILE</c> (the one CA its
/// certificate must chain to); <c>mqtt://host:port</c> only with the explicit opt-out <c>--live-broker-plaintext</c>,
/// as <c>--mqtt</c> needs <c>--mqtt-plaintext</c>. Without them both roles keep the per-batch design, so a gateway and its doctors change
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
        Description = "The broker (mqtts://host:port with --live-broker-ca; mqtt://host:port only with --live-broker-plaintext) live sub-batches go through (gateway: default its own broker; doctor: turns the live path on)",
    };

    private readonly Option<string?> _brokerCa = new("--live-broker-ca")
    {
        Description = "PEM CA certificate the --live-broker's certificate must chain to",
    };

    private readonly Option<bool> _brokerPlaintext = new("--live-broker-plaintext")
    {
        Description = "Allow a plaintext mqtt:// --live-broker (sealed sub-batches, but topics and timing readable on the network): only when you mean it",
    };

    /// <summary>Adds the gateway's options to <paramref name="command"/>.</summary>
    public void AddToGateway(Command command)
    {
        command.Options.Add(_live);
        command.Options.Add(_iotPeriod);
        AddBroker(command);
    }

    /// <summary>Adds the doctor's options to <paramref name="command"/>.</summary>
    public void AddToDoctor(Command command)
    {
        AddBroker(command);
        command.Options.Add(_summaryPeriod);
    }

    /// <summary>The gateway's live options, or null without <c>--live</c>.</summary>
    /// <exception cref="CliException">A period below one second, a broker that is not mqtts://host:port with a readable CA, or plaintext without the opt-out.</exception>
    public LiveOptions? Gateway(ParseResult parse)
    {
        if (!parse.GetValue(_live))
        {
            return parse.GetValue(_broker) is null ? null : throw new CliException("--live-broker needs --live on the gateway");
        }

        var (broker, authority) = Broker(parse);
        var options = new LiveOptions { Period = TimeSpan.FromSeconds(Seconds(parse, _iotPeriod)), Broker = broker, BrokerAuthority = authority };
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
    /// <exception cref="CliException">A period below one second, a broker that is not mqtts://host:port with a readable CA, or plaintext without the opt-out.</exception>
    public LiveAlarmOptions? Doctor(ParseResult parse) => Broker(parse) is ({ } broker, var authority)
        ? new LiveAlarmOptions { Broker = broker, BrokerAuthority = authority, SummaryPeriod = TimeSpan.FromSeconds(Seconds(parse, _summaryPeriod)) }
        : null;

    private static int Seconds(ParseResult parse, Option<int> option)
    {
        var seconds = parse.GetValue(option);
        return seconds >= 1 ? seconds : throw new CliException($"{option.Name} must be at least 1 (got {seconds})");
    }

    private void AddBroker(Command command)
    {
        command.Options.Add(_broker);
        command.Options.Add(_brokerCa);
        command.Options.Add(_brokerPlaintext);
    }

    /// <summary>The <c>--live-broker</c> and the CA to validate it against: mqtts:// with --live-broker-ca, or mqtt:// with --live-broker-plaintext.</summary>
    private (Uri? Broker, X509Certificate2? Authority) Broker(ParseResult parse)
    {
        var (text, caFile, plaintext) = (parse.GetValue(_broker), parse.GetValue(_brokerCa), parse.GetValue(_brokerPlaintext));
        if (text is null)
        {
            return caFile is null && !plaintext ? (null, null) : throw new CliException("--live-broker-ca and --live-broker-plaintext need --live-broker");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtts" or "ssl" or "mqtt" or "tcp") || uri.Port <= 0)
        {
            throw new CliException($"--live-broker '{text}' is not mqtts://host:port");
        }

        if (!ExternalBrokerLink.IsTlsUrl(uri))
        {
            return (plaintext, caFile) switch
            {
                (false, _) => throw new CliException($"--live-broker {uri.GetLeftPart(UriPartial.Authority)} is plaintext: use mqtts://host:port with --live-broker-ca FILE or opt out with --live-broker-plaintext"),
                (true, not null) => throw new CliException("--live-broker-ca is for an mqtts:// --live-broker: drop it or use mqtts://"),
                _ => (uri, null),
            };
        }

        return (plaintext, caFile) switch
        {
            (true, _) => throw new CliException($"--live-broker {uri.GetLeftPart(UriPartial.Authority)} is TLS (mqtts://) but --live-broker-plaintext was given: drop one"),
            (_, null) => throw new CliException($"--live-broker {uri.GetLeftPart(UriPartial.Authority)} needs --live-broker-ca FILE, the CA its certificate must chain to"),
            (_, { } file) => (uri, ExternalBrokerLink.LoadAuthority(file, "--live-broker-ca")),
        };
    }
}
