using Brook.Broker.Configuration;

namespace Brook.Broker.Tests.Transactions;

public sealed class TransactionSettingsTests
{
    [Fact]
    public void Transaction_settings_come_from_the_environment_and_flags_with_kafkas_defaults_otherwise()
    {
        var defaults = BrookSettingsLoader.Load([], new Dictionary<string, string>()).ToServerOptions().Broker.Transactions;
        Assert.Equal((50, 900_000, TimeSpan.FromDays(7), TimeSpan.FromSeconds(10)),
            (defaults.StateLogPartitions, defaults.MaxTimeoutMs, defaults.IdExpiration, defaults.AbortTimedOutInterval));

        var environment = new Dictionary<string, string>
        {
            ["BROOK_TRANSACTION_STATE_LOG_NUM_PARTITIONS"] = "7",
            ["BROOK_TRANSACTIONAL_ID_EXPIRATION_MS"] = "60000",
        };
        var options = BrookSettingsLoader.Load(["--transaction.max.timeout.ms", "5000", "--transaction-abort-timed-out-transaction-cleanup-interval-ms", "250"], environment)
            .ToServerOptions().Broker.Transactions;

        Assert.Equal((7, 5000, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(250)),
            (options.StateLogPartitions, options.MaxTimeoutMs, options.IdExpiration, options.AbortTimedOutInterval));
    }

    [Fact]
    public void A_non_positive_transaction_setting_is_reported_by_name()
    {
        var settings = BrookSettingsLoader.Load(["--transaction-max-timeout-ms", "0"], new Dictionary<string, string>());
        var error = Assert.Throws<BrookConfigurationException>(settings.ToServerOptions);
        Assert.Contains("transaction_max_timeout_ms", error.Message, StringComparison.Ordinal);
    }
}
