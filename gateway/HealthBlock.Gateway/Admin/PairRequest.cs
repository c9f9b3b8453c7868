namespace HealthBlock.Gateway.Admin;

/// <summary>Pair a device.</summary>
/// <param name="Device">The device id: 16 hex digits.</param>
/// <param name="BrokerHost">The broker host the device connects to (goes into the pairing blob).</param>
/// <param name="BrokerPort">The broker port.</param>
/// <param name="Pending">Keep the device pending until the pairing button is pressed.</param>
/// <param name="Replace">Pair a device that is paired already: new key, new pairing, sequence numbers start afresh.</param>
public sealed record PairRequest(string Device, string BrokerHost, int BrokerPort, bool Pending = false, bool Replace = false);
