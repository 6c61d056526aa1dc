// placeholder: TensorIO is being written
