using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// The gateway's side of an external broker (<see cref="GatewayOptions.ExternalBroker"/>): with <c>mqtts://</c>, its TLS
/// link and login, the uplink written into pairing blobs (the broker's CA, so devices dial Mosquitto with TLS and their
/// own credentials), and the Mosquitto folder (<see cref="MosquittoConfiguration"/>) kept current at every pairing;
/// <c>mqtt://</c> only with <see cref="GatewayOptions.MqttPlaintext"/>.
/// </summary>
internal sealed class ExternalBrokerSetup
{
    private ExternalBrokerSetup(ExternalBrokerLink link, DeviceUplinkOptions uplink, BrokerCertificates? certificates)
    {
        Link = link;
        Uplink = uplink;
        Certificates = certificates;
    }

    public ExternalBrokerLink Link { get; }

    public DeviceUplinkOptions Uplink { get; }

    /// <summary>The gateway CA and the server certificate it issued for Mosquitto (null in plaintext); the caller disposes it.</summary>
    public BrokerCertificates? Certificates { get; }

    /// <summary>Checks the options and prepares the link; with TLS writes the Mosquitto folder and keeps it current.</summary>
    /// <exception cref="ArgumentException">Plaintext without the opt-out, TLS with it, another scheme, or an unreadable CA file.</exception>
    public static ExternalBrokerSetup Create(GatewayOptions options, string dataFolder, GatewayStore store, SecretSealer sealer, DeviceRegistry devices, string patient, ILogger logger)
    {
        var broker = options.ExternalBroker ?? throw new ArgumentException("No external broker is configured.", nameof(options));
        if (!ExternalBrokerLink.IsTlsUrl(broker))
        {
            if (broker.Scheme is not ("mqtt" or "tcp"))
            {
                throw new ArgumentException($"External broker '{broker}' must be mqtts://host:port (or mqtt://host:port with --mqtt-plaintext).");
            }

            if (!options.MqttPlaintext)
            {
                throw new ArgumentException(ExternalBrokerLink.PlaintextRefusal(broker));
            }

            return new ExternalBrokerSetup(ExternalBrokerLink.Plaintext(broker), DeviceUplinkOptions.Plaintext, null);
        }

        if (options.MqttPlaintext)
        {
            throw new ArgumentException($"External broker '{broker}' is TLS (mqtts://) but --mqtt-plaintext was given: drop one.");
        }

        IReadOnlyCollection<string> names = [.. (options.MqttServerNames ?? BrokerCertificates.DefaultServerNames()).Append(broker.Host)];
        var certificates = BrokerCertificates.LoadOrCreate(dataFolder, names, options.Time);
        try
        {
            var authority = options.ExternalBrokerCa is { } caFile ? ExternalBrokerLink.LoadAuthority(caFile, "--mqtt-ca") : X509CertificateLoader.LoadCertificate(certificates.CaCertificateDer);
            var login = GatewayBrokerLogin.LoadOrCreate(store, sealer, patient);
            var link = ExternalBrokerLink.Tls(broker, authority, login.Username, login.Password);
            var mosquitto = new MosquittoConfiguration(options.MosquittoFolder ?? Path.Combine(dataFolder, "mosquitto"), link.Port, options.MqttLimits, options.Live is not null);
            void Write()
            {
                mosquitto.Write(patient, certificates, login, devices.BrokerLogins());
                var (pid, problem) = MosquittoReload.Signal(Path.GetFullPath(mosquitto.Folder));
                if (pid is not null)
                {
                    logger.LogInformation("Mosquitto files written in {Folder}; Mosquitto (pid {Pid}) sent SIGHUP to load the logins", mosquitto.Folder, pid);
                }
                else
                {
                    logger.LogInformation("Mosquitto files written in {Folder}; not signalled ({Problem}): a Mosquitto started later reads them, a running one needs SIGHUP", mosquitto.Folder, problem);
                }
            }

            Write();
            devices.Changed += () =>
            {
                try
                {
                    Write();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Could not rewrite the Mosquitto files in {Folder}: {Message}", mosquitto.Folder, e.Message);
                }
            };
            logger.LogInformation("External broker {Broker} over TLS as {User}; Mosquitto files in {Folder}", broker, login.Username, mosquitto.Folder);
            var uplink = DeviceUplinkOptions.Tls(authority.RawData, options.ExternalBrokerCa is null ? certificates.ServerNames : null);
            return new ExternalBrokerSetup(link, uplink, certificates);
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }
}
