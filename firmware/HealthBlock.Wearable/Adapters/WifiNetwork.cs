// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Provisioning;
using nanoFramework.Networking;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// Brings Wi-Fi up with System.Device.Wifi's WifiNetworkHelper: ConnectDhcp with the credentials of I:\wifi.txt
    /// (saved for automatic reconnection), or Reconnect with those already stored on the device. Both wait for
    /// SNTP time (requiresDateTime), which frame timestamps need.
    /// </summary>
    internal sealed class WifiNetwork
    {
        private readonly string _ssid;
        private readonly string _password;
        private readonly IClock _clock;
        private bool _configured;

        public WifiNetwork(string ssid, string password, IClock clock)
        {
            _ssid = ssid;
            _password = password;
            _clock = clock;
        }

        /// <summary>True when the station has an IP address and the clock is set; otherwise tries to get there.</summary>
        public bool EnsureConnected(int timeoutMs)
        {
            if (HasAddress() && NetworkReadiness.IsClockSet(_clock.UtcNowMs))
            {
                return true;
            }

            try
            {
                using (CancellationTokenSource cs = new CancellationTokenSource(timeoutMs))
                {
                    if (_ssid != null && !_configured)
                    {
                        _configured = WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, requiresDateTime: true, token: cs.Token);
                        return _configured;
                    }

                    return WifiNetworkHelper.Reconnect(requiresDateTime: true, token: cs.Token);
                }
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static bool HasAddress()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < interfaces.Length; i++)
            {
                if (interfaces[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                {
                    return NetworkReadiness.IsUsableAddress(interfaces[i].IPv4Address);
                }
            }

            return false;
        }
    }
}
