namespace HealthBlock.Gateway.Gpio;

/// <summary>What the status LED shows.</summary>
public enum GatewayHealth
{
    /// <summary>Stopped: LED off.</summary>
    Stopped,

    /// <summary>Healthy: LED steady on.</summary>
    Healthy,

    /// <summary>Frames are waiting (store or ledger slow or down): LED blinks.</summary>
    Backlog,
}
