using System.Text;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// The gateway's own login on an external broker: user <c>hb-gateway-&lt;patient&gt;</c> and a random password
/// (<see cref="MqttPasswordHash.NewPassword"/>) made once and kept sealed in the store (<see cref="SecretSealer"/>), so
/// the Mosquitto <c>password_file</c> the gateway writes can hold its <c>$7$</c> hash and the gateway can log in.
/// </summary>
/// <param name="Username">The broker user name.</param>
/// <param name="Password">The password.</param>
public sealed record GatewayBrokerLogin(string Username, string Password)
{
    private const string MetaName = "mqtt-gateway-login";

    /// <summary>The user name of the gateway of <paramref name="patient"/>.</summary>
    public static string UsernameFor(string patient) => "hb-gateway-" + patient;

    /// <summary>The store's login, made (and sealed into the store) on first use.</summary>
    public static GatewayBrokerLogin LoadOrCreate(GatewayStore store, SecretSealer sealer, string patient)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sealer);
        var label = "mqtt-login:" + patient;
        var sealedPassword = store.Meta.Get(MetaName)
            ?? store.Meta.GetOrAdd(MetaName, sealer.Seal(Encoding.UTF8.GetBytes(MqttPasswordHash.NewPassword()), label));
        return new GatewayBrokerLogin(UsernameFor(patient), Encoding.UTF8.GetString(sealer.Open(sealedPassword, label)));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Username} (password sealed in the store)";
}
