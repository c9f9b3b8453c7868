// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using System.IO;
using System.Text;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Provisioning;

namespace HealthBlock.Wearable.Device
{
    /// <summary>
    /// Reads the provisioning files on the internal flash (drive I:); what they mean is decided by the core's
    /// <see cref="ProvisioningFiles"/>, which the host tests cover.
    /// </summary>
    internal static class Provisioning
    {
        /// <summary>Reads and parses the pairing blob; <paramref name="problem"/> says why when it returns null.</summary>
        public static PairingBlob LoadPairing(out string problem)
        {
            return ProvisioningFiles.ParsePairing(ReadText(ProvisioningFiles.PairingFile), out problem);
        }

        /// <summary>Reads the optional Wi-Fi credentials; false when the file is absent or unusable (stored credentials are used).</summary>
        public static bool TryLoadWifi(out string ssid, out string password)
        {
            return ProvisioningFiles.TryParseWifi(ReadText(ProvisioningFiles.WifiFile), out ssid, out password);
        }

        private static string ReadText(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return null;
                }

                byte[] bytes = File.ReadAllBytes(path);
                return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
