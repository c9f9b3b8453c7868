// Device adapters: .NET nanoFramework on ESP32 only (not built by CI; see firmware/README.md).
using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
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
        private bool _configured;

        public WifiNetwork(string ssid, string password)
        {
            _ssid = ssid;
            _password = password;
        }

        /// <summary>True when the station has an IP address and the clock is set; otherwise tries to get there.</summary>
        public bool EnsureConnected(int timeoutMs)
        {
            if (HasAddress() && DateTime.UtcNow.Year >= 2024)
            {
                return true;
            }

            try
            {
                CancellationTokenSource cs = new CancellationTokenSource(timeoutMs);
                bool ok;
                if (_ssid != null && !_configured)
                {
                    ok = WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, requiresDateTime: true, token: cs.Token);
                    _configured = ok;
                }
                else
                {
                    ok = WifiNetworkHelper.Reconnect(requiresDateTime: true, token: cs.Token);
                }

                return ok;
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
                    string address = interfaces[i].IPv4Address;
                    return address != null && address.Length > 0 && address != "0.0.0.0";
                }
            }

            return false;
        }
    }
}
