package io.softmaxservice.system;

import java.util.LinkedHashMap;
import java.util.Map;

import io.softmaxservice.tensor.TensorLimits;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Adds the limits in force to {@code GET /actuator/info}, beside the version and build
 * time, so that a client can size its requests before it sends them.
 */
@Component
class LimitsInfoContributor implements InfoContributor {

	private final TensorLimits limits;

	private final LoadLimits load;

	LimitsInfoContributor(TensorLimits limits, LoadLimits load) {
		this.limits = limits;
		this.load = load;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("max_body_bytes", this.limits.maxBodySize().toBytes());
		limits.put("max_elements", this.limits.maxElements());
		limits.put("max_concurrent_requests", this.load.permits());
		limits.put("queue_timeout_ms", this.load.queueTimeout().toMillis());
		builder.withDetail("limits", limits);
	}

}
