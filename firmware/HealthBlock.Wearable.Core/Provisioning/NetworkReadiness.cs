// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Provisioning
{
    /// <summary>When the station may stream: an IPv4 address from DHCP and a clock set by SNTP.</summary>
    public static class NetworkReadiness
    {
        /// <summary>
        /// 2024-01-01T00:00:00Z in ms since the Unix epoch: an RTC before this has not been set by SNTP yet (the
        /// ESP32 starts at the epoch), and frame timestamps from it would be meaningless.
        /// </summary>
        public const long EarliestPlausibleUtcMs = 1704067200000;

        /// <summary>True for an address the station can be reached on (not empty, not 0.0.0.0).</summary>
        public static bool IsUsableAddress(string ipv4Address)
        {
            return ipv4Address != null && ipv4Address.Length > 0 && ipv4Address != "0.0.0.0";
        }

        /// <summary>True once the clock has been set (see <see cref="EarliestPlausibleUtcMs"/>).</summary>
        public static bool IsClockSet(long utcNowMs)
        {
            return utcNowMs >= EarliestPlausibleUtcMs;
        }
    }
}
