-- How an on-call transfer went: by REFER or bridged by us, to whom, and how it ended.
ALTER TABLE call ADD COLUMN transfer_path VARCHAR(10);
ALTER TABLE call ADD COLUMN transfer_target VARCHAR(20);
ALTER TABLE call ADD COLUMN transfer_result VARCHAR(20);
ALTER TABLE call ADD COLUMN transfer_detail VARCHAR(1000);
ALTER TABLE call ADD COLUMN transfer_sip_status INT;
ALTER TABLE call ADD COLUMN on_call_call_id VARCHAR(200);
ALTER TABLE call ADD COLUMN transfer_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE call ADD COLUMN transfer_connected_at TIMESTAMP WITH TIME ZONE;
