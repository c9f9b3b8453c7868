using System.Security.Cryptography.X509Certificates;
using HealthBlock.Alerts;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>What guards the embedded broker: its TLS certificate, who may log in, and the listener's bounds.</summary>
/// <param name="Certificate">The server certificate with its key; null serves plaintext (only when asked for explicitly).</param>
/// <param name="Login">Checks a CONNECT's user name and password (null when absent); true lets the client in.</param>
/// <param name="Limits">The listener's bounds.</param>
/// <param name="Counters">Where limit hits are counted and alerted.</param>
public sealed record BrokerGuards(X509Certificate2? Certificate, Func<string?, string?, bool> Login, MqttListenerLimits Limits, LimitAlerts Counters);
