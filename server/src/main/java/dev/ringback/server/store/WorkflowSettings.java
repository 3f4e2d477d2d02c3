package dev.ringback.server.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Dashboard toggles, stored so they survive restarts; the config only gives the first value. */
public final class WorkflowSettings {
    public static final String SMS_CALLBACK = "sms-callback";

    private final DataSource ds;
    private final boolean smsCallbackDefault;

    public WorkflowSettings(DataSource ds, boolean smsCallbackDefault) {
        this.ds = ds;
        this.smsCallbackDefault = smsCallbackDefault;
    }

    public boolean smsCallbackEnabled() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT enabled FROM workflow_setting WHERE name = ?")) {
            ps.setString(1, SMS_CALLBACK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : smsCallbackDefault;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read workflow setting", e);
        }
    }

    public void setSmsCallbackEnabled(boolean enabled) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "MERGE INTO workflow_setting (name, enabled, updated_at) KEY (name) VALUES (?,?,?)")) {
            ps.setString(1, SMS_CALLBACK);
            ps.setBoolean(2, enabled);
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot store workflow setting", e);
        }
    }
}
